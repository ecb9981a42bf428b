import { uuidv7, type EventEnvelope, type NewEvent } from '@nqpf/contracts';
import { validateAppend, type AppendOptions, type AppendResult } from './append-options';
import { ConcurrencyConflictError } from './errors';
import { assertExpectedVersion, type ExpectedVersion } from './expected-version';
import { canonicalJson } from '@nqpf/contracts';
import { eventRowValues, insertEventsSql } from './event-insert';
import { eventHashWith } from './hash';
import type { Queryable } from './queryable';
import { outboxChannel } from './schema/schema-name';
import type { EventSeal, EventSealer } from './seal';

export interface AppendContext {
  schema: string;
  /** When set, each event also gets an outbox row for this topic, in the same transaction. */
  outboxTopic?: string;
  now: () => Date;
  /** When set, the last event of every append is sealed with the service's key (seal.ts). */
  sealer?: EventSealer;
  /** Reads the stream's committed version outside the (aborted) transaction, for the conflict report. */
  committedVersion: (streamId: string) => Promise<number>;
}

/**
 * Appends within the caller's open transaction `tx`; commit or rollback is the caller's. With 'any',
 * nobody checks the version, so writers of one stream queue on an advisory lock instead of colliding.
 */
export async function appendInTransaction(
  tx: Queryable,
  ctx: AppendContext,
  streamId: string,
  events: NewEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  const expected = validateAppend(streamId, events, options);
  if (expected === 'any') {
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`${ctx.schema}:${streamId}`]);
  }
  return appendOnce(tx, ctx, streamId, events, options, expected);
}

/**
 * Appends without a caller's transaction in two round trips: read the head, then ONE insert statement
 * (events, outbox rows and the notification) that commits on its own. Reading the head outside that
 * statement is safe: a stored event never changes, and the unique (stream_id, stream_version)
 * constraint rejects the insert if anyone appended in between. With 'any' such a collision is retried.
 */
export async function appendAutocommit(
  db: Queryable,
  ctx: AppendContext,
  streamId: string,
  events: NewEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  const expected = validateAppend(streamId, events, options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await appendOnce(db, ctx, streamId, events, options, expected);
    } catch (err) {
      if (!(err instanceof ConcurrencyConflictError) || expected !== 'any' || attempt >= 20) throw err;
    }
  }
}

async function appendOnce(
  db: Queryable,
  ctx: AppendContext,
  streamId: string,
  events: NewEvent[],
  options: AppendOptions,
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const s = ctx.schema;
  // Named (prepared once per connection): the append path skips parse and plan on every call.
  const head = await db.query<{ stream_version: number | null; hash: string | null; positions: string[] }>({
    name: `${s}.append_head`,
    text: `select h.stream_version, h.hash,
            array(select nextval('${s}.event_position') from generate_series(1, $2::int)) as positions
       from (select 1) one
       left join lateral (select stream_version, hash from ${s}.events
                           where stream_id = $1 order by stream_version desc limit 1) h on true`,
    values: [streamId, events.length],
  });
  const { stream_version, hash, positions } = head.rows[0]!;
  const current = stream_version ?? 0;
  assertExpectedVersion(streamId, expected, current);

  const sealed = seal(streamId, events, options, current, hash, positions, ctx.now());
  const last = sealed.envelopes[sealed.envelopes.length - 1]!;
  // The append's range: from the head it continues (null for a new stream) to its last event.
  const lastSeal = ctx.sealer?.seal(hash, last.hash);
  try {
    await db.query({
      name: `${s}.append_insert${ctx.outboxTopic ? '_outbox' : ''}${lastSeal ? '_sealed' : ''}`,
      text: insertSql(s, ctx.outboxTopic, lastSeal !== undefined),
      values: insertValues(sealed, ctx.outboxTopic, s, lastSeal && { position: last.position, ...lastSeal }),
    });
  } catch (err) {
    if ((err as { constraint?: string }).constraint === 'events_stream_version_unique') {
      throw new ConcurrencyConflictError(streamId, expected, await ctx.committedVersion(streamId));
    }
    throw err;
  }
  return { nextExpectedVersion: current + events.length, events: sealed.envelopes };
}

interface Sealed {
  envelopes: EventEnvelope[];
  /** Canonical JSON written to the jsonb columns, so the stored value is exactly what was hashed. */
  actorJson: string;
  payloadJsons: string[];
}

function seal(
  streamId: string,
  events: NewEvent[],
  options: AppendOptions,
  current: number,
  previousHash: string | null,
  positions: string[],
  now: Date,
): Sealed {
  const sorted = [...positions].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const recordedAt = now.toISOString();
  const actorJson = canonicalJson(options.actor);
  const actor = JSON.parse(actorJson) as EventEnvelope['actor'];
  const payloadJsons: string[] = [];
  let previous = previousHash;
  const envelopes = events.map((e, i) => {
    const payloadJson = canonicalJson(e.payload);
    payloadJsons.push(payloadJson);
    const content = {
      id: e.id ?? uuidv7(now.getTime()),
      type: e.type,
      schemaVersion: e.schemaVersion,
      streamId,
      streamVersion: current + i + 1,
      position: sorted[i]!,
      occurredAt: e.occurredAt ? new Date(e.occurredAt).toISOString() : recordedAt,
      recordedAt,
      correlationId: options.correlationId,
      causationId: options.causationId ?? null,
      centerId: e.centerId ?? options.centerId ?? null,
      previousHash: previous,
    };
    const hash = eventHashWith(content, actorJson, payloadJson);
    previous = hash;
    return { ...content, actor, payload: JSON.parse(payloadJson) as unknown, hash };
  });
  return { envelopes, actorJson, payloadJsons };
}

/** One statement: the events, then (as its own data-modifying parts) the outbox rows and the seal. */
function insertSql(s: string, outboxTopic: string | undefined, sealed: boolean): string {
  const insert = insertEventsSql(s);
  if (!outboxTopic && !sealed) return insert;
  const p = outboxTopic ? 18 : 16;
  const sealCte = sealed
    ? `, sealed as (insert into ${s}.event_seals (position, key_id, signature)
        values ($${p}::bigint, $${p + 1}, $${p + 2}) returning 1)`
    : '';
  if (!outboxTopic) return `with ins as (${insert} returning position)${sealCte} select count(*) from sealed`;
  return `with ins as (${insert} returning position),
    queued as (insert into ${s}.outbox (position, topic) select position, $16 from ins returning 1)${sealCte}
    select pg_notify($17, '') from (select count(*) from queued) c`;
}

function insertValues(
  { envelopes: events, actorJson, payloadJsons }: Sealed,
  outboxTopic: string | undefined,
  s: string,
  lastSeal: (EventSeal & { position: string }) | undefined,
): unknown[] {
  const values = eventRowValues(
    events,
    events.map(() => actorJson),
    payloadJsons,
  );
  if (outboxTopic) values.push(outboxTopic, outboxChannel(s));
  if (lastSeal) values.push(lastSeal.position, lastSeal.keyId, lastSeal.signature);
  return values;
}
