import type { Pool } from 'pg';
import { ReviewEventTypes, type NewEvent } from '@nqpf/contracts';
import { PostgresEventStore, type EventSealer } from '@nqpf/event-store';
import {
  decideEligibility,
  defaultPolicy,
  defaultReplayContext,
  replayMatches,
  type Decision,
} from '@nqpf/rules';
import eligible from '../../libs/rules/examples/eligible-application.json';

/** Decisions per stream: an application re-decided after each change of its facts. */
const PER_STREAM = 10;

/** The example application with its area and staff varied, so decisions differ (some ineligible). */
function eligibilityDecision(n: number): Decision<unknown, unknown> {
  const facts = structuredClone(eligible) as typeof eligible;
  facts.premises.buildingAreaM2 = `${2500 + (n % 5000)}.${String(n % 100).padStart(2, '0')}`;
  facts.team.staffInPost = 7 + (n % 20);
  return decideEligibility(facts, defaultPolicy) as Decision<unknown, unknown>;
}

export function eligibilityDecisions(count: number): Decision<unknown, unknown>[] {
  return Array.from({ length: count }, (_, n) => eligibilityDecision(n));
}

/**
 * Appends each decision as an EligibilityDecided event, PER_STREAM to a stream, `writers` at a time, each
 * append sealed as the services seal theirs.
 */
export async function fillStore(
  pool: Pool,
  decisions: Decision<unknown, unknown>[],
  writers: number,
  sealer: EventSealer,
): Promise<void> {
  const store = new PostgresEventStore(pool, { sealer });
  await store.migrate();
  const streams = Math.ceil(decisions.length / PER_STREAM);
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let s = next++; s < streams; s = next++) {
        const applicationId = `app-${String(s).padStart(7, '0')}`;
        const events: NewEvent[] = decisions.slice(s * PER_STREAM, (s + 1) * PER_STREAM).map((decision) => ({
          type: ReviewEventTypes.EligibilityDecided,
          schemaVersion: 1,
          payload: {
            applicationId,
            eligible: (decision.outcome as { eligible: boolean }).eligible,
            decidedAt: '2026-03-09T02:00:00Z',
            decision,
          },
        }));
        await store.append(applicationId, events, {
          expectedVersion: 0,
          actor: { id: 'bench', role: 'system', district: null },
          correlationId: `bench-${applicationId}`,
          centerId: null,
        });
      }
    }),
  );
}

/** The replay baseline: replayDecision on the same decisions in memory, compared as the audit does. */
export function replayInMemory(decisions: Decision<unknown, unknown>[]): number {
  const context = defaultReplayContext();
  const started = performance.now();
  let matches = 0;
  for (const decision of decisions) if (replayMatches(decision, context)) matches += 1;
  const seconds = (performance.now() - started) / 1000;
  if (matches !== decisions.length)
    throw new Error(`in-memory replay: ${matches} of ${decisions.length} match`);
  return decisions.length / seconds;
}

/** The verify baseline: every row of the store in position order, keyset pages of 5000, nothing checked. */
export async function rawRead(pool: Pool, expected: number): Promise<number> {
  const started = performance.now();
  let after = '0';
  let rows = 0;
  for (;;) {
    const page = await pool.query<{ position: string }>(
      'select * from event_store.events where position > $1 order by position limit 5000',
      [after],
    );
    rows += page.rows.length;
    if (page.rows.length < 5000) break;
    after = page.rows[page.rows.length - 1]!.position;
  }
  if (rows !== expected) throw new Error(`raw read: ${rows} of ${expected} rows`);
  return rows / ((performance.now() - started) / 1000);
}
