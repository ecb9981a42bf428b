// The registry's database at city scale (docs/performance.md "Query plans at city scale"): the tables from
// the project's own DDL, the standing and ledger rows written by its own save functions, the audit trail
// bulk-loaded and then indexed by migrateAuditTrail. The documents have the projection's shapes: one center's
// fixture story folded by reduceStanding, varied per center with generate_series.
import type { Pool, PoolClient } from 'pg';
import { createRuntimeTables } from '@nqpf/projections';
import { migrateAuditTrail } from '../../apps/registry/src/audit/audit.table';
import { decodeLedger, type StoredLedger } from '../../apps/registry/src/ledger/ledger.codec';
import { createLedgerTables, saveLedgers } from '../../apps/registry/src/ledger/ledger.table';
import { emptyStanding, type StandingRow } from '../../apps/registry/src/standing/standing.row';
import { affectsStanding, reduceStanding } from '../../apps/registry/src/standing/standing.reducer';
import { createStandingTable, saveStanding } from '../../apps/registry/src/standing/standing.table';
import { registryEventMix } from '../registry/registry-events';
import { DISTRICTS, type Scale } from './scale';

/** Rows per save: one JSON parameter each, as the projection writes a batch. */
const BATCH = 2000;

/** Share of the trail's lines per type, in percent (40 % activity logs, about 1 % for the rare types). */
const TRAIL_TYPES: [string, number][] = [
  ['reporting.activity-logged', 40],
  ['reporting.report-filed', 8],
  ['reporting.report-due-scheduled', 8],
  ['reporting.report-overdue', 1],
  ['reporting.major-change-reported', 1],
  ['reporting.major-change-evaluated', 1],
  ['reporting.operation-started', 1],
  ['finance.disbursement-recorded', 6],
  ['finance.grant-decided', 5],
  ['finance.expenditure-accepted', 8],
  ['finance.expenditure-rejected', 1],
  ['intake.application-drafted', 2],
  ['intake.application-amended', 3],
  ['intake.application-submitted', 1],
  ['intake.application-endorsed', 1],
  ['intake.application-accepted', 1],
  ['review.candidacy-opened', 1],
  ['review.eligibility-decided', 1],
  ['review.expert-assigned', 3],
  ['review.expert-review-recorded', 3],
  ['review.site-inspection-recorded', 1],
  ['review.center-recognized', 1],
  ['review.publicity-started', 1],
  ['assessment.assessment-completed', 3],
  ['assessment.center-tracked', 1],
];

/** One recognised center's standing as the projection writes it, from the registry bench's fixture story. */
function sampleStanding(): StandingRow {
  const centerId = 'center-0000001';
  const events = Object.values(registryEventMix(2))
    .flat()
    .filter((e) => e.centerId === centerId || (e.payload as { centerId?: string }).centerId === centerId);
  return events.filter((e) => affectsStanding(e.type)).reduce(reduceStanding, emptyStanding(centerId));
}

export async function createRegistrySchema(pool: Pool): Promise<void> {
  for (const schema of ['standing', 'ledger']) await createRuntimeTables(pool, schema);
  await createStandingTable(pool, 'standing');
  await createLedgerTables(pool, 'ledger');
  await migrateAuditTrail(pool);
}

/** Fills the registry's tables; the trail's secondary indexes are built after its load (migrateAuditTrail). */
export async function fillRegistry(pool: Pool, db: PoolClient, scale: Scale): Promise<void> {
  await db.query(`select setseed(0.42)`);
  // Each center's district (12, of uneven size), status (65 % recognised, 10 % revoked, 20 % rejected,
  // 5 % applying), phase, and recognition year (2026–2035).
  await db.query(
    `create table public.bench_centers as
     select c.*,
       case status
         when 'recognised' then case when rp < 0.85 then 'operating' else 'recognised' end
         when 'revoked' then 'revoked'
         when 'rejected' then (array['rejected','ineligible','not_listed','returned_by_district'])[1 + floor(rp * 4)::int]
         else (array['draft','submitted','endorsed','accepted','eligible','reviewed','listed','in_publicity',
                     'objection_pending','publicity_passed'])[1 + floor(rp * 10)::int]
       end as phase,
       case when status in ('recognised','revoked') then make_date(ry, rm, 1 + floor(rp * 27)::int)::text end
         as recognized_on,
       make_date(case when status in ('recognised','revoked') then ry - 1 else 2035 end, 1 + floor(rg * 12)::int,
         1 + floor(rp * 27)::int)::text as submitted_on
     from (select g, id, district, rs, rp, rg, ry, rm,
             case when rs < 0.65 then 'recognised' when rs < 0.75 then 'revoked'
                  when rs < 0.95 then 'rejected' else 'applying' end as status
             from (select g, 'center-' || lpad(g::text, 7, '0') as id,
                     ($2::text[])[1 + floor(12 * power(random(), 1.4))::int] as district,
                     random() as rs, random() as rp, random() as rg, 2026 + floor(random() * 10)::int as ry,
                     1 + floor(random() * 12)::int as rm
                     from generate_series(1, $1::int) g) c0) c`,
    [scale.centers, DISTRICTS],
  );
  await fillStanding(db, scale);
  await db.query(
    `insert into audit.center_districts (center_id, district, recorded_at)
     select id, district, now() from public.bench_centers`,
  );
  await fillLedgers(db, scale);
  await fillTrail(db, scale);
  await migrateAuditTrail(pool);
}

/** Reports and grades for every year since recognition: about 3 kB of JSON per row. */
async function fillStanding(db: PoolClient, scale: Scale): Promise<void> {
  const base = sampleStanding();
  for (let from = 1; from <= scale.centers; from += BATCH) {
    const { rows } = await db.query<{ row: StandingRow }>(
      `select $1::jsonb || jsonb_build_object(
         'centerId', id, 'district', district, 'operatorAccountId', 'op-' || id,
         'operatorName', '长春创新运营有限公司' || g, 'phase', phase, 'status', status, 'submittedOn', submitted_on,
         'recognizedOn', recognized_on, 'reports', reports, 'grades', grades, 'latestGrade', latest,
         'revokedOn', case when status = 'revoked' then '2035-06-30' end,
         'consecutiveUnqualified', cu, 'reportsOverdue', ro, 'awaiting', awaiting) as row
       from (
         select c.*, coalesce(r.reports, '{}') as reports, coalesce(gr.grades, '{}') as grades, gr.latest,
           case when rg < 0.05 then 1 else 0 end as cu,
           case when status = 'recognised' and rg > 0.9 then 1 + floor((rg - 0.9) * 30)::int else 0 end as ro,
           case
             when status = 'applying' then case phase
               when 'submitted' then '["district:endorsement"]'::jsonb when 'endorsed' then '["bureau:acceptance"]'
               when 'reviewed' then '["bureau:listing"]' when 'listed' then '["bureau:publicity"]'
               when 'objection_pending' then '["bureau:objection-ruling"]'
               when 'publicity_passed' then '["district:signature","bureau:signature"]' else '[]' end
             when status = 'recognised' and rg > 0.9 then '["operator:reports"]'::jsonb
             when status = 'recognised' and phase = 'recognised' then '["operator:operation-start"]'::jsonb
             else '[]'::jsonb end as awaiting
         from public.bench_centers c
         left join lateral (
           select jsonb_object_agg('quarterly:' || y || '-Q' || q, jsonb_build_object('kind', 'quarterly',
                    'period', y || '-Q' || q, 'dueOn', make_date(y, q * 3, 28)::text,
                    'state', case when random() < 0.05 then 'filed_late' else 'filed' end)) as reports
             from generate_series(c.ry, 2035) y, generate_series(1, 4) q where c.recognized_on is not null) r on true
         left join lateral (
           select jsonb_object_agg(y::text, gg) as grades, (array_agg(gg order by y desc))[1] as latest
             from (select y, (array['优秀','良好','良好','合格','合格','合格','不合格'])[1 + floor(random() * 7)::int] gg
                     from generate_series(c.ry, 2034) y where c.recognized_on is not null) s) gr on true
         where c.g between $2 and $3) x
       order by g`,
      [JSON.stringify(base), from, from + BATCH - 1],
    );
    await saveStanding(
      db,
      'standing',
      rows.map((r) => r.row),
    );
  }
}

/**
 * The recognised and revoked centers' ledgers: up to 3 support years (to 2036), 5–8 entries each; about
 * 15 000 centers, 43 000 years and 97 000 entries at 20 000 centers.
 */
async function fillLedgers(db: PoolClient, scale: Scale): Promise<void> {
  for (let from = 1; from <= scale.centers; from += BATCH) {
    const { rows } = await db.query<{ ledger: StoredLedger }>(
      `select jsonb_build_object('centerId', c.id, 'district', c.district, 'years', y.years,
                'entries', e.entries) as ledger
         from public.bench_centers c
         cross join lateral (
           select coalesce(jsonb_object_agg(sy::text, jsonb_build_object('supportYear', sy, 'calendarYear', cy,
                    'granted', granted::text, 'disbursed', disbursed::text, 'spent', spent::text,
                    'spentByCategory', jsonb_build_object('rent', (spent * 4 / 10)::text,
                      'equipment', (spent * 4 / 10)::text, 'training', (spent - 2 * (spent * 4 / 10))::text),
                    'rejected', case when r2 < 0.1 then '300000' else '0' end,
                    'cancelled', case when r1 > 0.97 then (granted / 2)::text else '0' end,
                    'grantPolicyVersion', 'p' || cy)), '{}') as years
             from (select sy, cy, granted, r1, r2, (disbursed * r2 * 0.5)::bigint as spent, disbursed
                     from (select sy, cy, granted, r1, r2,
                             case when r1 < 0.8 then granted else (granted * r1)::bigint end as disbursed
                             from (select sy, c.ry + sy - 1 as cy, (30000000 + floor(random() * 20000000))::bigint
                                     as granted, random() as r1, random() as r2
                                     from generate_series(1, 3) sy where c.ry + sy - 1 <= 2036) a) b) d) y
         cross join lateral (
           select jsonb_agg(jsonb_build_object('entryId', c.id || '-' || ord, 'supportYear', 1 + ord % 2,
                    'kind', (array['grant','disbursement','expenditure','expenditure','rejected-expenditure',
                                   'grant','disbursement'])[1 + ord % 7],
                    'amount', (1000000 + ord * 1000)::text, 'on', '2030-05-01',
                    'category', case when ord % 7 in (2, 3, 4) then 'rent' end, 'policyVersion', 'p2030',
                    'reversesEntryId', null, 'reason', null, 'reference', 'ref-' || ord) order by ord) as entries
             from generate_series(1, 5 + abs(hashtext(c.id)) % 4) ord) e
        where c.status in ('recognised', 'revoked') and c.g between $1 and $2
        order by c.g`,
      [from, from + BATCH - 1],
    );
    await saveLedgers(
      db,
      'ledger',
      rows.map((r) => decodeLedger(r.ledger)),
    );
  }
}

/**
 * `audit.trail` at 125 lines per center (2 500 000 at 20 000), about 500 bytes each, recorded evenly over ten
 * years in seq order; loaded without its secondary indexes, which migrateAuditTrail then builds where missing.
 */
async function fillTrail(db: PoolClient, scale: Scale): Promise<void> {
  const types = TRAIL_TYPES.flatMap(([type, weight]) => Array<string>(weight).fill(type));
  await db.query(
    `drop index audit.trail_by_center; drop index audit.trail_by_type; drop index audit.trail_by_center_topic`,
  );
  await db.query(
    `insert into audit.trail (event_id, topic, center_id, type, stream_id, stream_version, occurred_at, recorded_at,
       actor, reason, decisions, payload)
     select 'evt-' || lpad(g::text, 12, '0'), split_part(t, '.', 1), cid, t, split_part(t, '.', 1) || '-' || cid,
       1 + g % 500, ts, ts, jsonb_build_object('id', 'op-' || cid, 'role', 'operator', 'district', null), null,
       case when g % 10 = 0 then '[{"ruleId":"A14.1","outcome":"pass","inputs":{"dueOn":"2030-04-15"}}]'::jsonb
            else '[]'::jsonb end,
       jsonb_build_object('centerId', cid, 'activityId', 'a-' || g, 'title', '技术转移对接活动第' || g || '期',
         'heldOn', ts::date::text, 'participants', 30 + g % 50, 'yearCount', g % 200, 'kind', 'matchmaking')
     from (select g, 'center-' || lpad((1 + floor(random() * $1::int))::int::text, 7, '0') as cid,
             ($3::text[])[1 + floor(random() * 100)::int] as t,
             timestamptz '2026-01-01' + (g / $2::float8) * interval '3650 days' as ts
             from generate_series(1, $2::int) g) s`,
    [scale.centers, scale.trailLines, types],
  );
  await db.query(
    `insert into audit.stream_trail (event_id, topic, type, stream_id, stream_version, occurred_at, recorded_at,
       actor, reason, decisions, payload)
     select 'st-' || g, 'review', (array['intake.call-opened','intake.call-closed','review.expert-registered',
         'review.expert-conflict-declared','finance.policy-published'])[1 + g % 5],
       's-' || g, 1, timestamptz '2026-01-01' + g * interval '1 day', timestamptz '2026-01-01' + g * interval '1 day',
       '{"id":"bureau","role":"city_bureau"}', null, '[]', '{}'
     from generate_series(1, 3000) g`,
  );
}
