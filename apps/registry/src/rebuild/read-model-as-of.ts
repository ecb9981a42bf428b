import { BadRequestException } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { EventPayloadSchemas, type Actor } from '@nqpf/contracts';
import { matchesScope, scopeFilter } from '@nqpf/auth';
import { foldAsOf, type DocumentReducer } from '@nqpf/projections';
import { isIsoInstant } from '@nqpf/rules';
import type { ReplayGate } from './replay-gate';

/**
 * `at` must be an ISO 8601 instant with a zone (Z or ±hh:mm): a local time would be ambiguous. Years 2000
 * to 9998 (in Asia/Shanghai too): outside them no record exists and the day arithmetic of the views fails.
 */
export function parseInstant(raw: string | undefined, field: string): Date {
  // In a query string an unencoded + arrives as a space: '…T00:00:00+08:00' typed as is.
  const value = raw?.replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2');
  if (!isIsoInstant(value))
    throw new BadRequestException(
      `${field}: must be an ISO 8601 instant with a zone, e.g. 2026-03-10T00:00:00+08:00, got "${value ?? ''}"`,
    );
  const at = new Date(value);
  if (at < EARLIEST || at > LATEST)
    throw new BadRequestException(`${field}: must lie in the years 2000 to 9998, got "${value}"`);
  return at;
}

const EARLIEST = new Date('2000-01-01T00:00:00+08:00');
const LATEST = new Date('9998-12-31T23:59:59+08:00');

/**
 * A read model (standing, ledger) as the system knew it at `at`: its topics replayed from offset zero into
 * memory, keeping only events recorded at or before `at` (libs/projections foldAsOf), then the actor's
 * scope. Live tables are never touched.
 */
export async function readModelAsOf<S extends { centerId: string; district: string | null }>(options: {
  gate: ReplayGate;
  kafka: Kafka;
  topics: string[];
  replayGroupPrefix: string;
  reducer: DocumentReducer<S>;
  at: Date;
  actor: Actor;
  centerId?: string;
}): Promise<S[]> {
  const documents = await options.gate.run(() =>
    foldAsOf({
      kafka: options.kafka,
      topics: options.topics,
      replayGroupPrefix: options.replayGroupPrefix,
      reducer: options.reducer,
      validate: EventPayloadSchemas,
      asOf: { recordedAt: options.at },
    }),
  );
  const scope = scopeFilter(options.actor);
  return [...documents.values()]
    .filter((doc) => options.centerId === undefined || doc.centerId === options.centerId)
    .filter((doc) =>
      matchesScope(scope, { id: doc.centerId, centerId: doc.centerId, district: doc.district }),
    )
    .sort((a, b) => (a.centerId < b.centerId ? -1 : a.centerId > b.centerId ? 1 : 0));
}
