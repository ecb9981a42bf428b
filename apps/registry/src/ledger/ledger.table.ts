import type { Queryable } from '@nqpf/event-store';
import { decodeLedger, encodeLedger, StoredLedger } from './ledger.codec';
import { balanceOf, LedgerState } from './ledger.state';

/** The live schema (the projection's name); a rebuild or as-of writes the same tables in another schema. */
export const LEDGER_SCHEMA = 'ledger';

const centers = (schema: string) => `"${schema}".ledger_centers`;
const years = (schema: string) => `"${schema}".ledger_years`;

/**
 * <schema>.ledger_centers: a center's whole ledger (years and entries) as jsonb, amounts as fen strings.
 * <schema>.ledger_years: one row per center and support year, the columns the API filters and sorts on.
 */
export async function createLedgerTables(db: Queryable, schema: string): Promise<void> {
  await db.query(`create table if not exists ${centers(schema)} (
    center_id text primary key,
    district text,
    state jsonb not null)`);
  // A ledger's state is ~2 kB of JSON, past the TOAST threshold: lz4 compresses it at a fraction of pglz's
  // cost (a third of a rebuild's write time). Servers built without lz4 keep the default. Altered only
  // once: the alter locks the table exclusively, behind every read in flight (a replica starting).
  await db.query(`do $$ begin
    if exists (select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals))
       and (select attcompression from pg_attribute
             where attrelid = '${centers(schema)}'::regclass and attname = 'state') is distinct from 'l' then
      alter table ${centers(schema)} alter column state set compression lz4;
    end if; end $$`);
  await db.query(`create table if not exists ${years(schema)} (
    center_id text not null,
    support_year int not null,
    calendar_year int,
    district text,
    granted bigint not null,
    disbursed bigint not null,
    spent bigint not null,
    rejected numeric not null,
    cancelled bigint not null,
    balance bigint not null,
    spent_by_category jsonb not null,
    grant_policy_version text,
    primary key (center_id, support_year))`);
  // Built once, where missing: even "if not exists" takes a share lock on the table, behind every write in
  // flight (the projection's batches) and holding the next ones.
  await db.query(`do $$ begin
    if to_regclass('"${schema}".ledger_years_district') is null then
      create index ledger_years_district on ${years(schema)} (district);
    end if; end $$`);
  // Rejected spending is summed whatever its amounts, so it outgrows bigint (the rest is bounded by grants):
  // tables made while it was a bigint are widened once.
  await db.query(`do $$ begin
    if exists (select 1 from information_schema.columns where table_schema = '${schema}'
        and table_name = 'ledger_years' and column_name = 'rejected' and data_type = 'bigint') then
      alter table ${years(schema)} alter column rejected type numeric;
    end if; end $$`);
}

/**
 * The ledgers of these centers, locked for the rest of the transaction, in one statement: missing ones are
 * inserted empty and existing ones locked by a no-op update, in key order, so that concurrent transactions
 * on one center (new or not) queue on its row and cannot deadlock.
 */
export async function loadLedgers(
  tx: Queryable,
  schema: string,
  centerIds: string[],
): Promise<Map<string, LedgerState>> {
  const sorted = [...centerIds].sort();
  const { rows } = await tx.query<{ state: StoredLedger }>(
    `insert into ${centers(schema)} (center_id, district, state)
     select id, null, jsonb_build_object('centerId', id, 'district', null, 'years', '{}'::jsonb,
       'entries', '[]'::jsonb)
       from unnest($1::text[]) as id
     on conflict (center_id) do update set center_id = excluded.center_id
     returning state`,
    [sorted],
  );
  return new Map(rows.map((r) => [r.state.centerId, decodeLedger(r.state)]));
}

/**
 * One statement for both tables, each fed one JSON array parameter (PostgreSQL parses it once, unlike
 * escaped array literals).
 */
export async function saveLedgers(tx: Queryable, schema: string, ledgers: LedgerState[]): Promise<void> {
  if (ledgers.length === 0) return;
  const encoded = ledgers.map(encodeLedger);
  const yearRows = ledgers.flatMap((l, i) =>
    Object.values(l.years).map((y) => ({
      ...encoded[i]!.years[String(y.supportYear)]!,
      centerId: l.centerId,
      district: l.district,
      balance: balanceOf(y).toString(),
    })),
  );
  await tx.query(
    `with saved as (
       insert into ${centers(schema)} (center_id, district, state)
       select l->>'centerId', l->>'district', l from jsonb_array_elements($1::jsonb) as l
       on conflict (center_id) do update set district = excluded.district, state = excluded.state)
     insert into ${years(schema)} (center_id, support_year, calendar_year, district, granted, disbursed, spent,
       rejected, cancelled, balance, spent_by_category, grant_policy_version)
     select y->>'centerId', (y->>'supportYear')::int, (y->>'calendarYear')::int, y->>'district',
       (y->>'granted')::bigint, (y->>'disbursed')::bigint, (y->>'spent')::bigint, (y->>'rejected')::numeric,
       (y->>'cancelled')::bigint, (y->>'balance')::bigint, y->'spentByCategory', y->>'grantPolicyVersion'
       from jsonb_array_elements($2::jsonb) as y
     on conflict (center_id, support_year) do update set calendar_year = excluded.calendar_year,
       district = excluded.district, granted = excluded.granted, disbursed = excluded.disbursed,
       spent = excluded.spent, rejected = excluded.rejected, cancelled = excluded.cancelled,
       balance = excluded.balance, spent_by_category = excluded.spent_by_category,
       grant_policy_version = excluded.grant_policy_version`,
    [JSON.stringify(encoded), JSON.stringify(yearRows)],
  );
}
