import type { Pool, PoolClient } from 'pg';
import type { AssessmentRevisedV1, EventEnvelope } from '@nqpf/contracts';
import { runDdl } from '@nqpf/messaging';
import { shanghaiDateOf } from '@nqpf/rules';
import type { HeldGrantRevision } from '../domain/subsidy-account/subsidy-account.commands';

interface Queryable {
  query<R = unknown>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** A grade correction finance holds: the grant it would decide falls below what the year disbursed. */
export interface HeldRevision {
  /** The support year whose grant waits (the corrected year's support year + 1). */
  supportYear: number;
  /** What the corrected grade grants that year, in fen. */
  grantFen: string;
  /** assessment.assessment-revised, as finance read it: applied from it once it fits. */
  event: EventEnvelope<AssessmentRevisedV1>;
}

/**
 * The grade corrections finance holds, one per center and support year. Why a row with that key, not a
 * parked message nor an event of the account: the grade a year's grant rests on is the latest correction's
 * (A12.3), so a later correction of the year replaces the one held (or, planning nothing, just drops it)
 * and a revocation drops them all (A17.3: nothing is decided again) — parked messages piled up instead, and
 * a withdrawn grade was applied later. A hold decides nothing (the grant stands until it applies), so it is
 * no event of finance's own; the correction itself is assessment's record.
 */
export class HeldRevisions {
  private readonly table = 'finance_inbound.held_grade_revisions';

  /** Under the shared DDL lock, like the service's other start-up migrations. */
  async migrate(pool: Pool): Promise<void> {
    await runDdl(
      pool,
      `create schema if not exists finance_inbound;
       create table if not exists ${this.table} (
         center_id text not null,
         support_year integer not null,
         grant_fen text not null,
         event jsonb not null,
         held_at timestamptz not null default now(),
         primary key (center_id, support_year))`,
    );
  }

  /** Holds `event` for the center's support year, in place of any correction held for it before. */
  async hold(tx: PoolClient, centerId: string, held: HeldRevision): Promise<void> {
    await tx.query(
      `insert into ${this.table} (center_id, support_year, grant_fen, event) values ($1, $2, $3, $4)
       on conflict (center_id, support_year)
       do update set grant_fen = excluded.grant_fen, event = excluded.event, held_at = now()`,
      [centerId, held.supportYear, held.grantFen, JSON.stringify(held.event)],
    );
  }

  /** Drops what the center holds: for one support year, or (a revocation) all. */
  async release(tx: PoolClient, centerId: string, supportYear?: number): Promise<void> {
    if (supportYear === undefined)
      await tx.query(`delete from ${this.table} where center_id = $1`, [centerId]);
    else
      await tx.query(`delete from ${this.table} where center_id = $1 and support_year = $2`, [
        centerId,
        supportYear,
      ]);
  }

  /** What the center holds, by support year. */
  async of(db: Queryable, centerId: string): Promise<HeldRevision[]> {
    const { rows } = await db.query<{
      support_year: number;
      grant_fen: string;
      event: EventEnvelope<AssessmentRevisedV1>;
    }>(
      `select support_year, grant_fen, event from ${this.table} where center_id = $1 order by support_year`,
      [centerId],
    );
    return rows.map((r) => ({ supportYear: r.support_year, grantFen: r.grant_fen, event: r.event }));
  }
}

/** A held correction as the account's commands and view read it. */
export function heldGrantRevision(held: HeldRevision): HeldGrantRevision {
  const p = held.event.payload;
  return {
    supportYear: held.supportYear,
    assessedYear: p.year,
    previousGrade: p.previousGrade,
    grade: p.grade,
    revisedOn: shanghaiDateOf(p.revisedOn, 'revisedOn'),
    reason: p.reason,
    grantFen: held.grantFen,
  };
}

export const heldRevisions = new HeldRevisions();
