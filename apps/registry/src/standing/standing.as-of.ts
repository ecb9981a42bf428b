import { BadRequestException } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { EventPayloadSchemas, type Actor } from '@nqpf/contracts';
import { matchesScope, scopeFilter } from '@nqpf/auth';
import { foldAsOf } from '@nqpf/projections';
import { standingReducer } from './standing.projector';
import type { StandingRow } from './standing.row';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `at` must be an ISO 8601 instant with a zone (Z or ±hh:mm): a local time would be ambiguous. */
export function parseInstant(value: string | undefined, field: string): Date {
  if (value === undefined || !INSTANT.test(value) || Number.isNaN(Date.parse(value)))
    throw new BadRequestException(
      `${field}: must be an ISO 8601 instant with a zone, e.g. 2026-03-10T00:00:00+08:00, got "${value ?? ''}"`,
    );
  return new Date(value);
}

/**
 * The standing as the system knew it at `at`: every topic replayed from offset zero into memory, keeping
 * only events recorded at or before `at` (libs/projections foldAsOf). Live tables are never touched.
 */
export async function standingAsOf(options: {
  kafka: Kafka;
  topics: string[];
  at: Date;
  actor: Actor;
  centerId?: string;
}): Promise<StandingRow[]> {
  const documents = await foldAsOf({
    kafka: options.kafka,
    topics: options.topics,
    reducer: standingReducer,
    validate: EventPayloadSchemas,
    asOf: { recordedAt: options.at },
  });
  const scope = scopeFilter(options.actor);
  return [...documents.values()]
    .filter((row) => options.centerId === undefined || row.centerId === options.centerId)
    .filter((row) =>
      matchesScope(scope, { id: row.centerId, centerId: row.centerId, district: row.district }),
    )
    .sort((a, b) => (a.centerId < b.centerId ? -1 : a.centerId > b.centerId ? 1 : 0));
}
