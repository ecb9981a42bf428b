// One service database at city scale, holding the tables of intake, review and reporting side by side (their
// statements each read their own): the event store and the read models and deadline tables from the project's
// own DDL, then loaded with generate_series.
import type { Pool, PoolClient } from 'pg';
import { migrate } from '@nqpf/event-store';
import { migrateApplicationRows } from '../../apps/intake/src/applications/read-model/application-rows';
import { migrateOperatingDeadlines } from '../../apps/reporting/src/obligations/operating-deadlines.store';
import { migrateReportDeadlines } from '../../apps/reporting/src/obligations/report-deadlines.store';
import { migrateCandidacyRows } from '../../apps/review/src/candidacies/read-model/candidacy-rows';
import { migratePublicityDeadlines } from '../../apps/review/src/deadlines/publicity-deadlines.store';
import { DISTRICTS, type Scale } from './scale';

export async function createServiceSchema(pool: Pool): Promise<void> {
  await migrate(pool, 'event_store');
  await migrateApplicationRows(pool);
  await migrateCandidacyRows(pool);
  await migrateReportDeadlines(pool);
  await migrateOperatingDeadlines(pool);
  await migratePublicityDeadlines(pool);
}

/** The event store's types per stream kind, by stream version. */
const INTAKE_TYPES = [
  'intake.application-drafted',
  'intake.application-amended',
  'intake.application-amended',
  'intake.application-submitted',
  'intake.application-endorsed',
  'intake.application-accepted',
  'intake.application-amended',
  'intake.application-accepted',
];
const REVIEW_TYPES = [
  'review.candidacy-opened',
  'review.eligibility-decided',
  'review.expert-assigned',
  'review.expert-assigned',
  'review.expert-assigned',
  'review.expert-review-recorded',
  'review.expert-review-recorded',
  'review.expert-review-recorded',
  'review.site-inspection-recorded',
  'review.candidacy-listed',
  'review.publicity-started',
  'review.center-recognized',
];

export async function fillServices(db: PoolClient, scale: Scale): Promise<void> {
  await db.query(`select setseed(0.45)`);
  await db.query(
    `create table public.bench_c as
     select g, md5('c' || g)::uuid::text as id, ($2::text[])[1 + floor(12 * power(random(), 1.4))::int] as district,
       random() as r
       from generate_series(1, $1::int) g`,
    [scale.centers, DISTRICTS],
  );
  await fillEvents(db, scale);
  await fillReadModels(db, scale);
  await fillDeadlines(db);
}

/**
 * 8 events per application stream, 12 per candidacy stream and 1 000 per long reporting stream, recorded at
 * random over ten years; positions follow the recording time, so a stream's events are spread over the
 * table as appends interleave. Every event has an outbox row (the last 50 unpublished); half are sealed.
 */
async function fillEvents(db: PoolClient, scale: Scale): Promise<void> {
  await db.query(
    `create temp table bench_keys as
     select row_number() over (order by ts, stream_id, v) as position, stream_id, id, district, svc, v, ts
       from (select s.*, v, timestamptz '2026-01-01' + (random() * 3650) * interval '1 day' as ts
               from (select 'application-' || id as stream_id, id, district, 8 as n, 'intake' as svc from public.bench_c
                     union all
                     select 'candidacy-' || id, id, district, 12, 'review' from public.bench_c
                     union all
                     select 'reporting-center-' || id, id, district, 1000, 'reporting' from public.bench_c
                      where g <= $1) s,
                    generate_series(1, s.n) v) k`,
    [scale.longStreams],
  );
  await db.query(
    `insert into event_store.events (position, event_id, stream_id, stream_version, type, schema_version,
       occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, payload, previous_hash, hash)
     select position, gen_random_uuid(), stream_id, v,
       case svc when 'intake' then ($1::text[])[v] when 'review' then ($2::text[])[v]
         else case when v = 1 then 'reporting.obligations-opened' when v % 25 = 0 then 'reporting.report-due-scheduled'
                   when v % 25 = 1 then 'reporting.report-filed' else 'reporting.activity-logged' end end,
       1, ts, ts, gen_random_uuid()::text, null, '{"id":"op","role":"operator","district":null}'::jsonb, id,
       jsonb_build_object('centerId', id, 'applicationId', id, 'district', district, 'period', '2030-Q' || (1 + v % 4),
         'dueOn', '2030-04-15', 'title', '技术转移对接活动第' || v || '期', 'heldOn', ts::date::text,
         'participants', 30 + v % 50, 'yearCount', v % 200,
         'facts', jsonb_build_object('operator', jsonb_build_object('name', '长春创新运营有限公司',
           'creditCode', '91220101MA00000000'), 'team', jsonb_build_object('staffInPost', 10))),
       case when v > 1 then md5(stream_id || (v - 1)) || md5(stream_id || (v - 1) || 'x') end,
       md5(stream_id || v) || md5(stream_id || v || 'x')
     from bench_keys order by position`,
    [INTAKE_TYPES, REVIEW_TYPES],
  );
  await db.query(
    `select setval('event_store.event_position', (select max(position) from event_store.events))`,
  );
  await db.query(
    `insert into event_store.outbox (position, topic, published_at)
     select position, svc, case when position <= $1::bigint - 50 then ts end from bench_keys order by position`,
    [scale.events],
  );
  await db.query(
    `insert into event_store.event_seals (position, key_id, signature)
     select position, 'k1', md5(position::text) from bench_keys where position % 2 = 0 or v = 1 order by position`,
  );
}

/** A row per application and per candidacy (3 experts each); a call per year, 2026–2035. */
async function fillReadModels(db: PoolClient, scale: Scale): Promise<void> {
  await db.query(
    `insert into intake.applications (application_id, call_id, district, status, operator_name, revision, version,
       updated_at)
     select id, 'call-' || (2026 + g % 10), district,
       (array['draft','submitted','endorsed','accepted','accepted','accepted','accepted','rejected'])[1 + g % 8],
       '长春创新运营有限公司' || g, 1, 8, timestamptz '2026-01-01' + (r * 3650) * interval '1 day'
       from public.bench_c`,
  );
  await db.query(
    `insert into review.candidacies (application_id, call_id, district, status, phase, operator_name, parties,
       experts, conflicted_experts, published_on, last_day, ends_at, recognition_date, version, updated_at, eligible,
       eligibility_rule_ids, reviews, inspections, summary_version)
     select id, 'call-' || (2026 + g % 10), district,
       (array['open','open','in-publicity','recognized','recognized','recognized','recognized','rejected'])[1 + g % 8],
       (array['eligible','reviewed','in publicity','recognized','recognized','recognized','recognized',
              'rejected'])[1 + g % 8],
       '长春创新运营有限公司' || g, '[{"name":"吉林大学"},{"name":"长春创新运营有限公司"}]',
       array['expert-' || lpad((g % $1)::text, 4, '0'), 'expert-' || lpad(((g * 7) % $1)::text, 4, '0'),
             'expert-' || lpad(((g * 13) % $1)::text, 4, '0')], '{}',
       date '2030-01-01' + (g % 3000), date '2030-01-15' + (g % 3000),
       timestamptz '2030-01-15 16:00+00' + (g % 3000) * interval '1 day', null, 12,
       timestamptz '2026-01-01' + (r * 3650) * interval '1 day', true, '{}',
       jsonb_build_array(jsonb_build_object('expertId', 'expert-' || lpad((g % $1)::text, 4, '0'), 'score', 80)),
       '[]', 12
       from public.bench_c`,
    [scale.experts],
  );
}

/**
 * Half the centers recognised, with ten years of fired report deadlines and the open ones of 2036-Q1 and
 * some of 2035's annual reports: about 503 000 rows, 13 300 open and passed on 2036-04-20 (10 000 of them
 * due the same day), at 20 000 centers. Operating deadlines, one in ten open; publicity deadlines, one in eight.
 */
async function fillDeadlines(db: PoolClient): Promise<void> {
  await db.query(
    `insert into reporting.report_deadlines (center_id, period, due_on, fired_at)
     select id, y || '-Q' || q, make_date(y, q * 3, 15) + 30, now()
       from public.bench_c, generate_series(2026, 2035) y, generate_series(1, 4) q where g % 8 between 3 and 6
     union all
     select id, y::text, make_date(y + 1, 3, 31), now()
       from public.bench_c, generate_series(2026, 2034) y where g % 8 between 3 and 6
     union all
     select id, '2036-Q1', date '2036-04-15', null from public.bench_c where g % 8 between 3 and 6
     union all
     select id, '2035', date '2036-03-31' + (g % 2), null from public.bench_c where g % 8 between 3 and 6 and g % 3 = 0`,
  );
  await db.query(
    `insert into reporting.operating_deadlines (center_id, deadline, fired_at, start_declarations_close_on)
     select id, date '2028-01-01' + (g % 3000), case when g % 10 = 0 then null else now() end, null
       from public.bench_c where g % 8 between 3 and 6`,
  );
  await db.query(
    `insert into review.deadlines (candidacy_id, ends_at, done_at)
     select id, timestamptz '2030-01-15 16:00+00' + (g % 3000) * interval '1 day',
       case when g % 8 = 2 then null else now() end
       from public.bench_c`,
  );
}
