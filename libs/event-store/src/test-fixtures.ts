import { generateKeyPairSync } from 'node:crypto';
import type { Actor, EventEnvelope, NewEvent } from '@nqpf/contracts';
import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import type { AppendOptions } from './append-options';
import { eventHash } from './hash';
import { EventSealer, SealKeys } from './seal';
import { PostgresEventStore, type EventStoreOptions } from './postgres-event-store';

/** Shared by this lib's integration tests: a migrated store in a database of its own. */
export async function createTestStore(
  options: EventStoreOptions = {},
): Promise<{ db: TestDatabase; store: PostgresEventStore }> {
  const db = await createTestDatabase('es');
  const store = new PostgresEventStore(db.pool, options);
  await store.migrate();
  return { db, store };
}

export const operator: Actor = { id: 'user-1', role: 'operator', district: null, centerId: 'center-1' };

export function meta(expectedVersion?: AppendOptions['expectedVersion']): AppendOptions {
  return { expectedVersion, actor: operator, correlationId: 'corr-1', centerId: 'center-1' };
}

export function events(n: number, type = 'ActivityRecorded'): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({ type, schemaVersion: 1, payload: { n: i } }));
}

/** Tampering as a superuser would do it: triggers off for this session only. */
export async function tamper(db: TestDatabase, sql: string, values: unknown[] = []): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('set session_replication_role = replica');
    await client.query(sql, values);
  } finally {
    await client.query('reset session_replication_role');
    client.release();
  }
}

/** A service's seal key pair, and the keys a verifier trusting only it holds. */
export function keyPair(): { sealer: EventSealer; keys: SealKeys; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    sealer: EventSealer.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    keys: SealKeys.fromPem(publicPem),
    publicPem,
  };
}

/** What someone who can write to the database does without the key: an event with a correct hash and link. */
let forgeries = 0;
export async function forgeAppend(
  db: TestDatabase,
  streamId: string,
  /** Elsewhere than after the stream's head, e.g. at version 0 (the table's check dropped). */
  at?: { streamVersion: number; previousHash: string | null },
): Promise<string> {
  forgeries++;
  const { rows } = await db.pool.query(
    `select stream_version, hash, position from event_store.events where stream_id = $1
      order by stream_version desc limit 1`,
    [streamId],
  );
  const head = rows[0] as { stream_version: number; hash: string };
  // A position from the store's own sequence, as an append takes it: nothing tells the event apart.
  const next = await db.pool.query(`select nextval('event_store.event_position')::text as position`);
  const forged: Omit<EventEnvelope, 'hash'> = {
    id: `01890000-0000-7000-8000-${String(forgeries).padStart(12, '0')}`,
    type: 'ActivityRecorded',
    schemaVersion: 1,
    streamId,
    streamVersion: at?.streamVersion ?? head.stream_version + 1,
    position: next.rows[0].position as string,
    occurredAt: '2026-11-27T01:00:00.000Z',
    recordedAt: '2026-11-27T01:00:00.000Z',
    correlationId: 'forged',
    causationId: null,
    actor: { id: 'user-1', role: 'operator', district: null, centerId: 'center-1' },
    centerId: 'center-1',
    payload: { n: 42 },
    previousHash: at ? at.previousHash : head.hash,
  };
  await db.pool.query(
    `insert into event_store.events (position, event_id, stream_id, stream_version, type, schema_version,
       occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, payload, previous_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      forged.position,
      forged.id,
      streamId,
      forged.streamVersion,
      forged.type,
      forged.schemaVersion,
      forged.occurredAt,
      forged.recordedAt,
      forged.correlationId,
      null,
      JSON.stringify(forged.actor),
      forged.centerId,
      JSON.stringify(forged.payload),
      forged.previousHash,
      eventHash({ ...forged, hash: '' }),
    ],
  );
  return forged.id;
}
