import type { Pool, PoolClient } from 'pg';
import type { Registry } from 'prom-client';
import type { AssessmentRevisedV1, EventEnvelope } from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import { runDdl } from '@nqpf/messaging';
import { registerSqlGauge, selectValue } from '@nqpf/platform';
import { shanghaiDateOf } from '@nqpf/rules';
import type { HeldGrantRevision } from '../domain/subsidy-account/subsidy-account.commands';

/** A grade correction finance holds: the grant it would decide falls below what the year disbursed. */
export interface HeldRevision {
  /** The support year whose grant waits (the corrected year's support year + 1). */
  supportYear: number;
  /** The account's district (set at its opening, never changed): what a district office's list filters on. */
  district: string | null;
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
         primary key (center_id, support_year));
       -- Added once, and the index built once, where missing: even "if not exists" locks the table (the
       -- alter exclusively, the index build against writes), behind every transaction in flight on it.
       do $$ begin
         if not exists (select 1 from information_schema.columns where table_schema = 'finance_inbound'
             and table_name = 'held_grade_revisions' and column_name = 'district') then
           alter table ${this.table} add column district text;
         end if;
         if to_regclass('finance_inbound.held_grade_revisions_held_at') is null then
           create index held_grade_revisions_held_at on ${this.table} (held_at, center_id, support_year);
         end if; end $$;`,
    );
  }

  /**
   * Holds `event` for the center's support year, in place of any correction held for it before. The same
   * correction held again (a correction of the account tried it and it still does not fit) keeps the time it
   * was first held: how long the year has waited.
   */
  async hold(tx: PoolClient, centerId: string, held: HeldRevision): Promise<void> {
    await tx.query(
      `insert into ${this.table} as t (center_id, support_year, grant_fen, event, district)
       values ($1, $2, $3, $4, $5)
       on conflict (center_id, support_year)
       do update set grant_fen = excluded.grant_fen, event = excluded.event, district = excluded.district,
         held_at = case when t.event->>'id' = excluded.event->>'id' then t.held_at else now() end`,
      [centerId, held.supportYear, held.grantFen, JSON.stringify(held.event), held.district],
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
    const { rows } = await db.query<HeldRow>(
      `select ${COLUMNS} from ${this.table} where center_id = $1 order by support_year`,
      [centerId],
    );
    return rows.map(heldOf);
  }

  /**
   * One page of every center's holds within `scope` (a WHERE over `district` and `center_id`, scopeToSql's),
   * oldest first, and how many there are in it.
   */
  async page(
    db: Queryable,
    scope: { where: string; params: unknown[] },
    page: { limit: number; offset: number },
  ): Promise<{ total: number; items: HeldRevisionRow[] }> {
    const n = scope.params.length;
    const { rows } = await db.query<HeldRow & { total: string }>(
      `select ${COLUMNS}, count(*) over () as total from ${this.table} where ${scope.where}
       order by held_at, center_id, support_year limit $${n + 1} offset $${n + 2}`,
      [...scope.params, page.limit, page.offset],
    );
    // Past the last page no row carries the count: counted alone.
    const total =
      rows.length > 0 || page.offset === 0
        ? Number(rows[0]?.total ?? 0)
        : Number(
            (
              await db.query<{ n: string }>(
                `select count(*) as n from ${this.table} where ${scope.where}`,
                scope.params,
              )
            ).rows[0]!.n,
          );
    return { total, items: rows.map(heldOf) };
  }

  /**
   * A district for each hold without one, from `districtOf` (the account's): held before finance kept it, or
   * by the previous release's replicas during a rolling update (their hold inserts none). At start, and
   * before each list's snapshot, so a district office's WHERE finds them. A center whose account cannot be
   * loaded (an event of a newer release, after a rollback) keeps its row as it is, reported to `failed`: a
   * repair never stops the start, nor the list.
   */
  async fillDistricts(
    db: Queryable,
    districtOf: (centerId: string) => Promise<string | null>,
    failed: (centerId: string, err: Error) => void,
  ): Promise<void> {
    const { rows } = await db.query<{ center_id: string }>(
      `select distinct center_id from ${this.table} where district is null`,
    );
    for (const { center_id } of rows) {
      let district: string | null;
      try {
        district = await districtOf(center_id);
      } catch (err) {
        failed(center_id, err as Error);
        continue;
      }
      if (district)
        await db.query(`update ${this.table} set district = $2 where center_id = $1 and district is null`, [
          center_id,
          district,
        ]);
    }
  }

  /**
   * `finance_held_grade_revisions` and `finance_oldest_held_grade_revision_age_seconds`, read from the table
   * at each scrape: finance officers' work waiting (no alert), as parked events are counted. No sample while
   * the database cannot tell (registerSqlGauge).
   */
  registerGauges(registry: Registry, db: Queryable, options: { timeoutMs?: number } = {}): void {
    registerSqlGauge(registry, {
      name: 'finance_held_grade_revisions',
      help: "grade corrections finance holds until a finance officer corrects the support year's disbursements",
      read: selectValue(db, `select count(*)::int as v from ${this.table}`),
      ...options,
    });
    registerSqlGauge(registry, {
      name: 'finance_oldest_held_grade_revision_age_seconds',
      help: 'how long the oldest grade correction finance holds has waited; 0 when none is held',
      read: selectValue(
        db,
        `select coalesce(extract(epoch from now() - min(held_at)), 0)::float8 as v from ${this.table}`,
      ),
      ...options,
    });
  }
}

const COLUMNS = 'center_id, support_year, district, grant_fen, event, held_at';

interface HeldRow {
  center_id: string;
  support_year: number;
  district: string | null;
  grant_fen: string;
  event: EventEnvelope<AssessmentRevisedV1>;
  held_at: Date;
}

/** A hold as the list reads it: whose, and since when. */
export interface HeldRevisionRow extends HeldRevision {
  centerId: string;
  heldAt: Date;
}

const heldOf = (r: HeldRow): HeldRevisionRow => ({
  centerId: r.center_id,
  supportYear: r.support_year,
  district: r.district,
  grantFen: r.grant_fen,
  event: r.event,
  heldAt: r.held_at,
});

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
