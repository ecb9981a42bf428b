import { createServer, type Socket } from 'node:net';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { OutboxRelay } from '@nqpf/event-store';
import { ParkedEvents, type EventPublisher } from '@nqpf/messaging';
import { registerOutboxGauges } from './event-sourcing/outbox-gauges';
import { registerSqlGauge, selectValue, SQL_GAUGE_TIMEOUT_MS } from './sql-gauge';

/** The sample lines of the registry (HELP, TYPE and the process' default metrics aside). */
async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line && !line.startsWith('#'));
}

/** A loopback port nothing listens on: the database refuses connections. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A database that never answers: a loopback socket that accepts connections and never replies. */
async function silentDatabase() {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => sockets.length,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const poolAt = (port: number): Pool => {
  const pool = new Pool({
    host: '127.0.0.1',
    port,
    user: 'nqpf',
    password: 'nqpf',
    database: 'nqpf',
    max: 10,
  });
  pool.on('error', () => undefined);
  return pool;
};

const publisher: EventPublisher = { publish: async () => undefined, disconnect: async () => undefined };

/** The five SQL-read gauges' kinds: the outbox's two (every service), parked_events{schema}, a plain one. */
function registerAll(registry: Registry, pool: Pool): void {
  registerOutboxGauges(registry, new OutboxRelay({ pool, publisher }));
  registerSqlGauge(registry, new ParkedEvents('assessment', {}).gauge(pool));
  registerSqlGauge(registry, {
    name: 'held',
    help: 'rows held',
    read: selectValue(pool, 'select count(*)::int as v from held'),
  });
}

/** A database whose answer the test sets: `v`, or an error while `down`. */
function database(state: { v: number; down?: boolean }): Pool {
  return {
    query: async () => {
      if (state.down) throw new Error('connection terminated');
      return { rows: [{ v: state.v, n: state.v, age: state.v }] };
    },
  } as unknown as Pool;
}

describe('gauges read from the database at each scrape (registerSqlGauge)', () => {
  it('leave no sample while the database refuses connections — unknown, not 0 (the outbox gauges showed 0 on a replica that had not read them yet)', async () => {
    const pool = poolAt(await refusedPort());
    try {
      const registry = new Registry();
      registerAll(registry, pool);
      expect(await samples(registry)).toEqual([]);
      expect(await registry.metrics()).toContain('# TYPE outbox_backlog gauge');
    } finally {
      await pool.end();
    }
  });

  it('answer the scrape within 2 s, without a sample, while the database never answers; one read at a time', async () => {
    const db = await silentDatabase();
    const pool = poolAt(db.port);
    try {
      const registry = new Registry();
      registerAll(registry, pool);
      const started = Date.now();
      expect(await samples(registry)).toEqual([]);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(SQL_GAUGE_TIMEOUT_MS - 50);
      expect(took).toBeLessThan(SQL_GAUGE_TIMEOUT_MS + 1000);
      expect(db.connections()).toBe(4);
      // The reads still wait: the next scrape answers at once, and queues no other connection behind them.
      const again = Date.now();
      expect(await samples(registry)).toEqual([]);
      expect(Date.now() - again).toBeLessThan(500);
      expect(db.connections()).toBe(4);
    } finally {
      await db.close();
      await pool.end();
    }
  }, 10_000);

  it('show the value read at each scrape, and drop the sample once it can no longer be read (not the last one)', async () => {
    const registry = new Registry();
    const state = { v: 3, down: false };
    registerOutboxGauges(registry, new OutboxRelay({ pool: database(state), publisher }));
    const parked = new ParkedEvents('finance_inbound', {});
    registerSqlGauge(registry, parked.gauge(database(state)));
    expect(await samples(registry)).toEqual([
      'outbox_backlog 3',
      'outbox_oldest_unpublished_seconds 3',
      'parked_events{schema="finance_inbound"} 3',
    ]);
    state.down = true;
    expect(await samples(registry)).toEqual([]);
    state.down = false;
    state.v = 5;
    expect(await samples(registry)).toEqual([
      'outbox_backlog 5',
      'outbox_oldest_unpublished_seconds 5',
      'parked_events{schema="finance_inbound"} 5',
    ]);
  });

  it('read each labelled series of a gauge alone: one the database cannot answer has no sample, the others do', async () => {
    const pool = poolAt(await refusedPort());
    try {
      const registry = new Registry();
      registerSqlGauge(registry, new ParkedEvents('assessment', {}).gauge(database({ v: 2 })));
      registerSqlGauge(registry, new ParkedEvents('finance_inbound', {}).gauge(pool));
      expect(await samples(registry)).toEqual(['parked_events{schema="assessment"} 2']);
    } finally {
      await pool.end();
    }
  });

  it('refuse a series whose labels are not the gauge’s, or are another series’', () => {
    const registry = new Registry();
    const read = async () => 1;
    registerSqlGauge(registry, { name: 'g', help: 'g', labels: { schema: 'a' }, read });
    expect(() => registerSqlGauge(registry, { name: 'g', help: 'g', read })).toThrow(
      'gauge g: labels none, not schema',
    );
    expect(() => registerSqlGauge(registry, { name: 'g', help: 'g', labels: { schema: 'a' }, read })).toThrow(
      'gauge g: a series with labels [["schema","a"]] is registered already',
    );
  });
});
