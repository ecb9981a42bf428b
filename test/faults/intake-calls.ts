import request from 'supertest';
import type { ServiceUnderTest } from '@nqpf/testing';

type Server = Parameters<typeof request>[0];

/** Opens a call for a year on intake; resolves with the HTTP status and, on 201, the call id. */
export async function openCall(server: Server, token: string, year: number) {
  const res = await request(server)
    .post('/calls')
    .set('authorization', `Bearer ${token}`)
    .send({ year, opensOn: `${year}-03-01`, closesOn: `${year}-04-30` });
  return { status: res.status, callId: res.status === 201 ? (res.body.callId as string) : undefined };
}

/** The call-opened events in a service's store, by call id (stream id). */
export async function storedCallIds(service: ServiceUnderTest): Promise<string[]> {
  const rows = await service.db.pool.query<{ id: string }>(
    `select payload->>'callId' as id from event_store.events where type = 'intake.call-opened' order by 1`,
  );
  return rows.rows.map((r) => r.id);
}
