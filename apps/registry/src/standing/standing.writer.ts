import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import { centerOfEvent } from './center-of-event';
import { affectsStanding, reduceStanding } from './standing.reducer';
import { lockStanding, saveStanding } from './standing.table';

/** Applies one event in the consumer's transaction (the inbox row commits with it). */
export async function applyStandingEvent(event: EventEnvelope, tx: PoolClient): Promise<void> {
  if (!affectsStanding(event.type)) return;
  const centerId = centerOfEvent(event);
  if (!centerId) return;
  const current = await lockStanding(tx, centerId);
  const next = reduceStanding(current, event);
  if (next !== current) await saveStanding(tx, next);
}
