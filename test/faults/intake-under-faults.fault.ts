import { AddressInfo } from 'node:net';
import request from 'supertest';
import { ServiceUnderTest, startService, testEnvironment, uniqueName } from '@nqpf/testing';
import { ALL_SERVICES } from '../fuzz/services';
import { openCall, storedCallIds } from './intake-calls';

/**
 * Faults around one service's commands, counted: every 2xx command's event is in the store, a conflict is
 * decided once,. Intake stands in for all event-sourced
 * services (they share the platform's unit of work, event store and relay).
 */
const intakeBuild = ALL_SERVICES.find((s) => s.name === 'intake')!.build;

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
          request(server).post(`/calls/${callId}/close`).set('authorization', `Bearer ${bureau}`),
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
      const inFlight = Array.from({ length: 30 }, (_, i) => send(2000 + i));
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
