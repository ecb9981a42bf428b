import { AddressInfo } from 'node:net';
import request from 'supertest';
import { ServiceUnderTest, startService, testEnvironment, uniqueName } from '@nqpf/testing';
import { ALL_SERVICES } from '../fuzz/services';
import { openCall, storedCallIds } from './intake-calls';

/**
 * Faults around one service's commands, counted: every 2xx command's event is in the store, a conflict is
 * decided once, and every stored event leaves through the outbox. Intake stands in for all event-sourced
 * services (they share the platform's unit of work, event store and relay).
 */
const intakeBuild = ALL_SERVICES.find((s) => s.name === 'intake')!.build;

async function allPublished(service: ServiceUnderTest): Promise<void> {
  const deadline = Date.now() + 30000;
  for (;;) {
    const left = await service.db.pool.query(
      `select count(*)::int as n from event_store.outbox where published_at is null`,
    );
    if (left.rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${left.rows[0].n} events never left the outbox`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('intake under faults', () => {
  let intake: ServiceUnderTest;
  let bureau: string;

  beforeAll(async () => {
    intake = await startService('intake', testEnvironment(uniqueName('faults')), intakeBuild);
    bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-faults' });
  });

  afterAll(async () => {
    await intake?.close();
  });

  it('(c) of concurrent conflicting commands exactly one succeeds, the others get 409, one event is stored', async () => {
    const server = intake.app.getHttpServer();
    for (let round = 0; round < 5; round++) {
      const { status, callId } = await openCall(server, bureau, 2030 + round);
      expect(status).toBe(201);
      const closes = await Promise.all(
        Array.from({ length: 4 }, () =>
          request(server)
            .post(`/calls/${callId}/close`)
            .set('authorization', `Bearer ${bureau}`)
            .send({ reason: '提前截止' }),
        ),
      );
      expect(closes.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
      const closed = await intake.db.pool.query(
        `select count(*)::int as n from event_store.events where type = 'intake.call-closed' and payload->>'callId' = $1`,
        [callId],
      );
      expect(closed.rows[0].n).toBe(1);
    }
  });

  it('(b) connections terminated under load: no 2xx is lost, commands after recovery succeed, the outbox drains', async () => {
    const server = intake.app.getHttpServer();
    const results: { status: number; callId?: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 60) results.push(await openCall(server, bureau, 2040 + (next++ % 60)));
    };
    const killer = (async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 150));
        await intake.db.pool.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()`,
        );
      }
    })();
    await Promise.all([worker(), worker(), worker(), worker(), killer]);

    const succeeded = results.filter((r) => r.status === 201).map((r) => r.callId!);
    const stored = await storedCallIds(intake);
    expect(stored).toEqual(expect.arrayContaining(succeeded));
    // A command whose connection died may have committed before its answer was lost, never the reverse.
    expect(stored.length).toBeGreaterThanOrEqual(succeeded.length);
    expect(results.every((r) => r.status === 201 || r.status === 503)).toBe(true);

    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => openCall(server, bureau, 2050 + i)));
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(201));
    await allPublished(intake);
    console.log(
      `(b) ${succeeded.length}/60 commands 2xx under connection kills, ${results.length - succeeded.length} failed (${[
        ...new Set(results.map((r) => r.status)),
      ].join(',')}); ${stored.length - 0} call events stored before recovery`,
    );
  });
});

describe('intake stopping (SIGTERM) under load', () => {
  it('(d) finishes the requests in flight: no 5xx, every 2xx stored, later requests refused at connect', async () => {
    const intake = await startService('intake', testEnvironment(uniqueName('faults_term')), intakeBuild);
    try {
      const bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-term' });
      await intake.app.listen(0, '127.0.0.1');
      const { port } = intake.app.getHttpServer().address() as AddressInfo;
      const send = async (year: number) => {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/calls`, {
            method: 'POST',
            headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' },
            body: JSON.stringify({ year, opensOn: `${year}-03-01`, closesOn: `${year}-04-30` }),
          });
          const body = (await res.json()) as { callId?: string };
          return { status: res.status, callId: body.callId };
        } catch {
          return { status: 0 }; // not accepted: the listener was already closed
        }
      };
      const inFlight = Array.from({ length: 30 }, (_, i) => send(2060 + i));
      await new Promise((r) => setTimeout(r, 30));
      const closing = intake.app.close(); // what enableShutdownHooks does on SIGTERM
      const late = await send(2099);
      const results = [...(await Promise.all(inFlight)), late];
      await closing;

      expect(results.filter((r) => r.status >= 500)).toEqual([]);
      expect(late.status).toBe(0);
      const succeeded = results.filter((r) => r.status === 201).map((r) => r.callId!);
      expect(succeeded.length).toBeGreaterThan(0);
      expect(await storedCallIds(intake)).toEqual(expect.arrayContaining(succeeded));
      console.log(`(d) ${succeeded.length}/30 in-flight commands finished with 201 during shutdown`);
    } finally {
      await intake.db.drop();
    }
  });
});
