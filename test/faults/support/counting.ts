import { serviceTopic } from '@nqpf/contracts';
import { createKafka, fromWire, replayTopics } from '@nqpf/messaging';
import { eventually, type TestDatabase } from '@nqpf/testing';
import type { Acknowledged } from './application-load';
import type { FaultSystem } from './system';

/**
 * Every time the live standing projection records a stream's applied version, a trigger writes the move
 * (from → to) here. Applied once means each stream's moves are contiguous and strictly increasing: no
 * version is applied twice and none is skipped. Installed before the load starts.
 */
export async function installAppliedWitness(registryDb: TestDatabase): Promise<void> {
  await registryDb.pool.query(`
    create schema fault_witness;
    create table fault_witness.moves (id bigserial primary key, stream_id text not null,
      from_version int not null, to_version int not null);
    create function fault_witness.record_move() returns trigger language plpgsql as $fn$
    begin
      insert into fault_witness.moves (stream_id, from_version, to_version)
        values (new.stream_id, case when tg_op = 'UPDATE' then old.version else 0 end, new.version);
      return null;
    end $fn$;
    create trigger witness after insert or update on standing._stream_versions
      for each row execute function fault_witness.record_move();`);
}

/** Streams whose witnessed moves are not a contiguous increasing chain ending at the stored version. */
async function appliedTwiceOrSkipped(
  registryDb: TestDatabase,
  stored: Map<string, number>,
): Promise<string[]> {
  const { rows } = await registryDb.pool.query<{ stream_id: string; from: number; to: number }>(
    `select stream_id, from_version as from, to_version as to from fault_witness.moves
      where stream_id like 'application-%' order by id`,
  );
  const head = new Map<string, number>();
  const broken = new Set<string>();
  for (const move of rows) {
    if (move.from !== (head.get(move.stream_id) ?? 0) || move.to <= move.from) broken.add(move.stream_id);
    head.set(move.stream_id, move.to);
  }
  for (const [stream, version] of stored) if (head.get(stream) !== version) broken.add(stream);
  return [...broken];
}

export interface Tally {
  acknowledged: number;
  storedEvents: number;
  storedStreams: number;
  /** Acknowledged (2xx) commands whose event is not in the store. */
  lostAcknowledged: Acknowledged[];
  /** Stored events with no record on intake's topic. */
  notOnKafka: string[];
  kafkaRecords: number;
  /** Records on the topic beyond one per event: republished after a crash, dropped by consumers. */
  kafkaDuplicates: number;
  /** Streams the live standing applied twice, skipped, or did not reach. */
  appliedWrong: string[];
  witnessedMoves: number;
  standingRows: number;
  rebuild: { matches: boolean; records: number; applied: number };
}

async function storedEvents(intakeDb: TestDatabase) {
  const { rows } = await intakeDb.pool.query<{ event_id: string; stream_id: string; v: number }>(
    `select event_id, stream_id, stream_version as v from event_store.events
      where stream_id like 'application-%'`,
  );
  const heads = new Map<string, number>();
  for (const r of rows) heads.set(r.stream_id, Math.max(heads.get(r.stream_id) ?? 0, r.v));
  return { rows, heads, keys: new Set(rows.map((r) => `${r.stream_id}@${r.v}`)) };
}

export async function unpublished(intakeDb: TestDatabase): Promise<number> {
  const { rows } = await intakeDb.pool.query<{ n: number }>(
    'select count(*)::int as n from event_store.outbox where published_at is null',
  );
  return rows[0]!.n;
}

async function eventsOnKafka(system: FaultSystem): Promise<{ ids: Map<string, number>; records: number }> {
  const ids = new Map<string, number>();
  const { records } = await replayTopics({
    kafka: createKafka(`faults-count-${system.prefix}`, system.brokers),
    topics: [serviceTopic('intake', system.prefix)],
    groupPrefix: `${system.prefix}.faults.replay.`,
    handleBatch: async (batch) => {
      for (const r of batch) {
        const id = fromWire(r.value).id;
        ids.set(id, (ids.get(id) ?? 0) + 1);
      }
    },
  });
  return { ids, records };
}

/** A fresh replay of every topic into a scratch schema, compared with the live standing by checksum. */
async function verifyRebuild(system: FaultSystem) {
  const res = await fetch(
    `http://127.0.0.1:${system.registries[0]!.port}/admin/rebuild?readModel=standing&verifyOnly=true`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${await system.token({ role: 'city_bureau' })}` },
    },
  );
  if (res.status !== 200) throw new Error(`rebuild: ${res.status} ${await res.text()}`);
  const [standing] = ((await res.json()) as { results: Tally['rebuild'][] }).results;
  return { matches: standing!.matches, records: standing!.records, applied: standing!.applied };
}

/**
 * After the fault: waits for the outbox to drain and the live standing to reach every stored stream's
 * version (bounded), then counts from the store, the topic, the witness and a fresh rebuild.
 */
export async function countAfterFault(system: FaultSystem, acknowledged: Acknowledged[]): Promise<Tally> {
  await eventually(async () => expect(await unpublished(system.intakeDb)).toBe(0), 60000, 250);
  const stored = await storedEvents(system.intakeDb);
  await eventually(
    async () => {
      const { rows } = await system.registryDb.pool.query<{ stream_id: string; version: number }>(
        `select stream_id, version from standing._stream_versions where stream_id like 'application-%'`,
      );
      expect(new Map(rows.map((r) => [r.stream_id, r.version]))).toEqual(stored.heads);
    },
    60000,
    250,
  );
  const kafka = await eventsOnKafka(system);
  const centers = [...stored.heads.keys()].map((s) => s.slice('application-'.length));
  const { rows: standing } = await system.registryDb.pool.query<{ n: number }>(
    'select count(*)::int as n from standing.standing where center_id = any($1)',
    [centers],
  );
  const { rows: moves } = await system.registryDb.pool.query<{ n: number }>(
    `select count(*)::int as n from fault_witness.moves where stream_id like 'application-%'`,
  );
  return {
    acknowledged: acknowledged.length,
    storedEvents: stored.rows.length,
    storedStreams: stored.heads.size,
    lostAcknowledged: acknowledged.filter((a) => !stored.keys.has(`${a.streamId}@${a.version}`)),
    notOnKafka: stored.rows.filter((r) => !kafka.ids.has(r.event_id)).map((r) => r.event_id),
    kafkaRecords: kafka.records,
    kafkaDuplicates: [...kafka.ids.values()].reduce((sum, n) => sum + n - 1, 0),
    appliedWrong: await appliedTwiceOrSkipped(system.registryDb, stored.heads),
    witnessedMoves: moves[0]!.n,
    standingRows: standing[0]!.n,
    rebuild: await verifyRebuild(system),
  };
}

/** The checks every scenario makes on its tally: nothing lost, nothing applied twice, live = rebuild. */
export function expectNothingLost(tally: Tally): void {
  expect(tally.lostAcknowledged).toEqual([]);
  expect(tally.notOnKafka).toEqual([]);
  expect(tally.appliedWrong).toEqual([]);
  expect(tally.standingRows).toBe(tally.storedStreams);
  expect(tally.rebuild.matches).toBe(true);
  expect(tally.storedEvents).toBeGreaterThanOrEqual(tally.acknowledged);
}
