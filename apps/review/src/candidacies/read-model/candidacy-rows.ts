import type { Pool, PoolClient } from 'pg';
import { ScopeFilter, scopeToSql } from '@nqpf/auth';
import { runDdl } from '@nqpf/messaging';
import { Candidacy, phaseOf } from '../../domain/candidacy/candidacy.state';
import { ListSummary, listSummaryOf } from './list-summary';

type Db = Pick<PoolClient, 'query'>;

/** An institution an application involves (its gathered institutions and its operator), for A9.1 conflicts. */
export interface Party {
  name: string;
  creditCode?: string;
}

/**
 * review.candidacies: one row per candidacy, the list view of its state, written in the transaction that
 * appends its events. `conflicted_experts` are assigned experts who declared a conflict with a party
 * after their assignment: they keep their place in the stream but no longer see it among their assignments.
 * The list summary (eligibility, scores, verdicts: list-summary.ts) is as of `summary_version`: a row
 * written without it (before it was kept, or by a replica that does not know it yet) is written again from
 * its stream on start (staleCandidacyStreams).
 */
export async function migrateCandidacyRows(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `
    create schema if not exists review;
    create table if not exists review.candidacies (
      application_id text primary key,
      call_id text not null,
      district text not null,
      status text not null,
      phase text not null,
      operator_name text not null,
      parties jsonb not null,
      experts text[] not null,
      conflicted_experts text[] not null default '{}',
      published_on date,
      last_day date,
      ends_at timestamptz,
      recognition_date date,
      version integer not null,
      updated_at timestamptz not null,
      eligible boolean,
      eligibility_rule_ids text[] not null default '{}',
      reviews jsonb not null default '[]',
      inspections jsonb not null default '[]',
      summary_version integer
    );
    -- Added once: even "if not exists" locks the table exclusively on every start, behind every
    -- transaction in flight on it (the appends of running replicas, the lists).
    do $$ begin
      if not exists (select 1 from information_schema.columns where table_schema = 'review'
          and table_name = 'candidacies' and column_name = 'summary_version') then
        alter table review.candidacies add column eligible boolean,
          add column eligibility_rule_ids text[] not null default '{}',
          add column reviews jsonb not null default '[]',
          add column inspections jsonb not null default '[]',
          add column summary_version integer;
      end if; end $$;
    -- Indexes built once, where missing: even "if not exists" takes a share lock on the table, behind every
    -- write in flight and holding the next ones. candidacies_updated: the queues' order (oldest change
    -- first), so a page is read in order, not every row sorted.
    do $$ begin
      if to_regclass('review.candidacies_status') is null then
        create index candidacies_status on review.candidacies (status, phase);
      end if;
      if to_regclass('review.candidacies_district') is null then
        create index candidacies_district on review.candidacies (district, status);
      end if;
      if to_regclass('review.candidacies_experts') is null then
        create index candidacies_experts on review.candidacies using gin (experts);
      end if;
      if to_regclass('review.candidacies_updated') is null then
        create index candidacies_updated on review.candidacies (updated_at, application_id);
      end if; end $$;
  `,
  );
}

export function partiesOf(state: Candidacy): Party[] {
  return [...state.facts.institutions, state.facts.operator].map((p) =>
    p.creditCode ? { name: p.name, creditCode: p.creditCode } : { name: p.name },
  );
}

/**
 * Writes the row for a state at a stream version; an older version never overwrites a newer one, the same
 * version only a row whose list summary is missing or older.
 */
export async function upsertCandidacyRow(
  db: Db,
  state: Candidacy,
  version: number,
  conflictedExperts: string[],
  at: string,
): Promise<void> {
  const summary = listSummaryOf(state);
  await db.query(
    `insert into review.candidacies
       (application_id, call_id, district, status, phase, operator_name, parties, experts, conflicted_experts,
        published_on, last_day, ends_at, recognition_date, version, updated_at,
        eligible, eligibility_rule_ids, reviews, inspections, summary_version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $14)
     on conflict (application_id) do update set
       call_id = excluded.call_id, district = excluded.district, status = excluded.status,
       phase = excluded.phase, operator_name = excluded.operator_name, parties = excluded.parties,
       experts = excluded.experts, conflicted_experts = excluded.conflicted_experts,
       published_on = excluded.published_on, last_day = excluded.last_day, ends_at = excluded.ends_at,
       recognition_date = excluded.recognition_date, version = excluded.version,
       updated_at = excluded.updated_at, eligible = excluded.eligible,
       eligibility_rule_ids = excluded.eligibility_rule_ids, reviews = excluded.reviews,
       inspections = excluded.inspections, summary_version = excluded.summary_version
     where review.candidacies.version < excluded.version
        or (review.candidacies.version = excluded.version
            and review.candidacies.summary_version is distinct from excluded.version)`,
    [
      state.applicationId,
      state.callId,
      state.district,
      state.status,
      phaseOf(state, conflictedExperts),
      state.facts.operator.name,
      JSON.stringify(partiesOf(state)),
      state.experts,
      conflictedExperts,
      state.publicity?.publishedOn ?? null,
      state.publicity?.lastDay ?? null,
      state.publicity?.endsAt ?? null,
      state.recognitionDate ?? null,
      version,
      at,
      summary.eligibility.eligible,
      summary.eligibility.ruleIds,
      JSON.stringify(summary.reviews),
      JSON.stringify(summary.inspections),
    ],
  );
}

/**
 * The candidacies an expert is assigned to, with their parties, locked for a conflict update. Containment,
 * so candidacies_experts finds them ("= any" read every candidacy filed).
 */
export async function assignmentsOfExpert(
  tx: Db,
  expertId: string,
): Promise<{ applicationId: string; parties: Party[] }[]> {
  const { rows } = await tx.query<{ application_id: string; parties: Party[] }>(
    `select application_id, parties from review.candidacies where experts @> array[$1]::text[] for update`,
    [expertId],
  );
  return rows.map((r) => ({ applicationId: r.application_id, parties: r.parties }));
}

/** An assigned expert declared a conflict: off the panel, which may change the phase (A9.1 done or not). */
export async function markExpertConflicted(
  tx: Db,
  applicationId: string,
  expertId: string,
  phase: string,
): Promise<void> {
  await tx.query(
    `update review.candidacies set conflicted_experts = array_append(conflicted_experts, $2), phase = $3
      where application_id = $1 and not ($2 = any(conflicted_experts))`,
    [applicationId, expertId, phase],
  );
}

export interface CandidacyListFilter {
  status?: string[];
  phase?: string[];
  district?: string;
  callId?: string;
  /** Publicity begun by this day (a publication dated later is not open to objections yet). */
  publishedBy?: string;
  /** Whether this expert's review is among the row's (A9.1: an expert's work list). */
  reviewedBy?: { expertId: string; reviewed: boolean };
}

export interface Page {
  limit: number;
  offset: number;
  /** Oldest change first (queues), or earliest publicity end first (the public list). */
  order?: 'updated' | 'publicity-end';
}

export interface CandidacyRow extends ListSummary {
  applicationId: string;
  callId: string;
  district: string;
  status: string;
  phase: string;
  operatorName: string;
  experts: string[];
  publicity: { publishedOn: string; lastDay: string; endsAt: string } | null;
  recognitionDate: string | null;
  version: number;
  updatedAt: string;
}

const COLUMNS = `application_id, call_id, district, status, phase, operator_name, experts,
  to_char(published_on, 'YYYY-MM-DD') as published_on, to_char(last_day, 'YYYY-MM-DD') as last_day, ends_at,
  to_char(recognition_date, 'YYYY-MM-DD') as recognition_date, version, updated_at,
  eligible, eligibility_rule_ids, reviews, inspections`;

function toRow(r: Record<string, unknown>): CandidacyRow {
  return {
    applicationId: String(r.application_id),
    callId: String(r.call_id),
    district: String(r.district),
    status: String(r.status),
    phase: String(r.phase),
    operatorName: String(r.operator_name),
    experts: r.experts as string[],
    publicity: r.published_on
      ? {
          publishedOn: String(r.published_on),
          lastDay: String(r.last_day),
          endsAt: (r.ends_at as Date).toISOString(),
        }
      : null,
    recognitionDate: (r.recognition_date as string | null) ?? null,
    version: Number(r.version),
    updatedAt: (r.updated_at as Date).toISOString(),
    eligibility: {
      eligible: (r.eligible as boolean | null) ?? null,
      ruleIds: r.eligibility_rule_ids as string[],
    },
    reviews: r.reviews as ListSummary['reviews'],
    inspections: r.inspections as ListSummary['inspections'],
  };
}

/**
 * One page of the rows the scope allows and the filter matches, oldest change first, and their count. The
 * count is a subquery of its own, not a window over the rows (which read and sorted every row for a page),
 * in the same statement: the total and the page are of one snapshot.
 */
export async function listCandidacyRows(
  db: Db,
  scope: ScopeFilter,
  filter: CandidacyListFilter,
  page: Page,
): Promise<{ total: number; items: CandidacyRow[] }> {
  const scoped = scopeToSql(scope, {
    district: 'district',
    centerId: 'application_id',
    assignedExperts: 'experts',
    conflictedExperts: 'conflicted_experts',
  });
  const params: unknown[] = [...scoped.params];
  const parts = [scoped.where];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${params.length}`));
  };
  if (filter.status?.length) add((p) => `status = any(${p})`, filter.status);
  if (filter.phase?.length) add((p) => `phase = any(${p})`, filter.phase);
  if (filter.district !== undefined) add((p) => `district = ${p}`, filter.district);
  if (filter.callId !== undefined) add((p) => `call_id = ${p}`, filter.callId);
  if (filter.publishedBy !== undefined) add((p) => `published_on <= ${p}::date`, filter.publishedBy);
  if (filter.reviewedBy !== undefined)
    add(
      (p) =>
        `${filter.reviewedBy!.reviewed ? '' : 'not '}(reviews @> jsonb_build_array(jsonb_build_object('expertId', ${p}::text)))`,
      filter.reviewedBy.expertId,
    );
  const where = parts.map((p) => `(${p})`).join(' and ');
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${COLUMNS}, (select count(*) from review.candidacies where ${where}) as total
       from review.candidacies where ${where}
      order by ${page.order === 'publicity-end' ? 'ends_at' : 'updated_at'}, application_id limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, page.limit, page.offset],
  );
  let total = rows.length > 0 ? Number(rows[0].total) : 0;
  if (rows.length === 0 && page.offset > 0) {
    const counted = await db.query<{ n: string }>(
      `select count(*) as n from review.candidacies where ${where}`,
      params,
    );
    total = Number(counted.rows[0].n);
  }
  return { total, items: rows.map(toRow) };
}

/**
 * Candidacy streams whose row is missing or behind (appended before this table existed), or whose list
 * summary is (written before it was kept, or by a replica that did not know it yet).
 */
export async function staleCandidacyStreams(
  db: Pick<Pool, 'query'>,
): Promise<{ streamId: string; lastChangedAt: string }[]> {
  // The row by its key (the stream id less its prefix), through the primary key: the prefix added to each
  // row's key instead compared every row with every stream (minutes at 20 000, before the port opens).
  const { rows } = await db.query<{ stream_id: string; last_changed_at: Date }>(
    `select e.stream_id, max(e.occurred_at) as last_changed_at from event_store.events e
      where e.stream_id like 'candidacy-%'
      group by e.stream_id
     having max(e.stream_version) > coalesce(
       (select c.version from review.candidacies c
         where c.application_id = substr(e.stream_id, length('candidacy-') + 1)
           and c.summary_version = c.version), 0)`,
  );
  return rows.map((r) => ({ streamId: r.stream_id, lastChangedAt: r.last_changed_at.toISOString() }));
}
