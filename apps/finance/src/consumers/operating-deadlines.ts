import type { Pool, PoolClient } from 'pg';
import type { CenterTrackedV1, OperationStartRecordedV1 } from '@nqpf/contracts';
import { RuleViolationError } from '@nqpf/domain';
import type { Queryable } from '@nqpf/event-store';
import { runDdl } from '@nqpf/messaging';
import { policyByVersion, PolicyBookState } from '../domain/policy-book/policy-book.decider';
import type { OperatingDeadlineFacts } from '../domain/subsidy-account/operating-deadline';

/** A center's A17.3a deadline and start as finance read them; a field is null until its event is read. */
export interface OperatingDeadlineRow {
  recognizedOn: string | null;
  operatingDeadline: string | null;
  policyVersion: string | null;
  operationStartedOn: string | null;
}

/**
 * Each center's A17.3a operating deadline (assessment.center-tracked) and the start assessment recorded
 * (assessment.operation-start-recorded), one row per center: what a payment is checked against. Why a row,
 * not an event of the account: knowing the deadline decides nothing (the payment's own decision records
 * what it used), it is assessment's record, and it comes whether or not the recognition has opened the
 * account yet, so nothing waits parked for it. Each event sets only its own columns, so the two may arrive
 * in either order, and again.
 */
export class OperatingDeadlines {
  private readonly table = 'finance_inbound.operating_deadlines';

  /** Under the shared DDL lock, like the service's other start-up migrations. */
  async migrate(pool: Pool): Promise<void> {
    await runDdl(
      pool,
      `create schema if not exists finance_inbound;
       create table if not exists ${this.table} (
         center_id text primary key,
         recognized_on text,
         operating_deadline text,
         policy_version text,
         operation_started_on text,
         updated_at timestamptz not null default now())`,
    );
  }

  async tracked(tx: PoolClient, p: CenterTrackedV1): Promise<void> {
    await tx.query(
      `insert into ${this.table} (center_id, recognized_on, operating_deadline, policy_version)
       values ($1, $2, $3, $4)
       on conflict (center_id) do update set recognized_on = excluded.recognized_on,
         operating_deadline = excluded.operating_deadline, policy_version = excluded.policy_version,
         updated_at = now()`,
      [p.centerId, p.recognizedOn, p.operatingDeadline, p.policyVersion],
    );
  }

  async started(tx: PoolClient, p: OperationStartRecordedV1): Promise<void> {
    await tx.query(
      `insert into ${this.table} (center_id, operation_started_on) values ($1, $2)
       on conflict (center_id) do update set operation_started_on = excluded.operation_started_on,
         updated_at = now()`,
      [p.centerId, p.startedOn],
    );
  }

  async of(db: Queryable, centerId: string): Promise<OperatingDeadlineRow | null> {
    const { rows } = await db.query<{
      recognized_on: string | null;
      operating_deadline: string | null;
      policy_version: string | null;
      operation_started_on: string | null;
    }>(
      `select recognized_on, operating_deadline, policy_version, operation_started_on
         from ${this.table} where center_id = $1`,
      [centerId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      recognizedOn: r.recognized_on,
      operatingDeadline: r.operating_deadline,
      policyVersion: r.policy_version,
      operationStartedOn: r.operation_started_on,
    };
  }
}

/**
 * A row as a payment's command reads it, with the policy the deadline was decided under from finance's own
 * book (assessment decides under the versions finance publishes); undefined while no deadline is known. A
 * version the book does not hold cannot happen today; should it, the command is refused naming the version
 * (422), not failed as a server error.
 */
export function operatingDeadlineFacts(
  row: OperatingDeadlineRow | null,
  book: PolicyBookState,
): OperatingDeadlineFacts | undefined {
  if (!row?.operatingDeadline || !row.recognizedOn || !row.policyVersion) return undefined;
  const policy = policyByVersion(book, row.policyVersion);
  if (!policy)
    throw new RuleViolationError(
      'policy-versioning',
      `policy ${row.policyVersion}, under which assessment tracked the center's A17.3a operating deadline ${row.operatingDeadline}, is not in finance's policy book`,
      { policyVersion: row.policyVersion, operatingDeadline: row.operatingDeadline },
    );
  return {
    recognizedOn: row.recognizedOn,
    deadline: row.operatingDeadline,
    operationStartedOn: row.operationStartedOn,
    policy,
  };
}

export const operatingDeadlines = new OperatingDeadlines();
