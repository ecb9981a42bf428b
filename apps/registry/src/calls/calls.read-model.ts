import type { Pool, PoolClient } from 'pg';
import { CallClosedV1, CallOpenedV1, EventEnvelope, IntakeEventTypes } from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import { runDdl } from '@nqpf/messaging';

/** The calls for applications as the public and the bureau see them, built from intake's events. */
export async function migrateCalls(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `create schema if not exists read_model;
     create table if not exists read_model.calls (
       call_id text primary key,
       year int not null,
       opens_on date not null,
       closes_on date not null,
       status text not null,
       closed_on date,
       last_event_id text not null);`,
  );
}

export async function applyCallEvent(event: EventEnvelope, tx: PoolClient): Promise<void> {
  switch (event.type) {
    case IntakeEventTypes.CallOpened: {
      const p = event.payload as CallOpenedV1;
      await tx.query(
        `insert into read_model.calls (call_id, year, opens_on, closes_on, status, last_event_id)
         values ($1, $2, $3, $4, 'open', $5) on conflict (call_id) do nothing`,
        [p.callId, p.year, p.opensOn, p.closesOn, event.id],
      );
      break;
    }
    case IntakeEventTypes.CallClosed: {
      const p = event.payload as CallClosedV1;
      await tx.query(
        `update read_model.calls set status = 'closed', closed_on = $2, last_event_id = $3 where call_id = $1`,
        [p.callId, p.closedOn, event.id],
      );
      break;
    }
  }
}

export interface CallRow {
  callId: string;
  year: number;
  opensOn: string;
  closesOn: string;
  status: 'open' | 'closed';
  closedOn: string | null;
}

export async function listCalls(db: Queryable, year?: number): Promise<CallRow[]> {
  const { rows } = await db.query<CallRow>(
    `select call_id as "callId", year, to_char(opens_on, 'YYYY-MM-DD') as "opensOn",
            to_char(closes_on, 'YYYY-MM-DD') as "closesOn", status, to_char(closed_on, 'YYYY-MM-DD') as "closedOn"
       from read_model.calls where ($1::int is null or year = $1) order by opens_on desc, call_id`,
    [year ?? null],
  );
  return rows;
}
