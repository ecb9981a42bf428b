// What is measured: the statements behind the HTTP reads, work lists, timers and start-up checks the s20 plan
// review timed, each sent by the project's own function with the parameters a request would give it.
import type { Pool, PoolClient } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { OutboxRelay, PostgresEventStore } from '@nqpf/event-store';
import {
  listApplicationRows,
  staleApplicationStreams,
} from '../../apps/intake/src/applications/read-model/application-rows';
import { centersTrail, centerTrail } from '../../apps/registry/src/audit/audit.query';
import {
  ledgerEntriesExport,
  ledgerYearsExport,
  listLedgerYears,
} from '../../apps/registry/src/ledger/ledger.query';
import { summarizeLedger } from '../../apps/registry/src/ledger/ledger.summary';
import type { Sql } from '../../apps/registry/src/standing/csv-export';
import { listStanding, standingExport } from '../../apps/registry/src/standing/standing.query';
import { summarizeStanding } from '../../apps/registry/src/standing/standing.summary';
import { claimPassedOperatingDeadline } from '../../apps/reporting/src/obligations/operating-deadlines.store';
import { claimPassedDeadline } from '../../apps/reporting/src/obligations/report-deadlines.store';
import {
  assignmentsOfExpert,
  listCandidacyRows,
  staleCandidacyStreams,
} from '../../apps/review/src/candidacies/read-model/candidacy-rows';
import { claimDueDeadline } from '../../apps/review/src/deadlines/publicity-deadlines.store';
import type { Scale } from './scale';

export interface Case {
  /** The result's name, after `plans.`. */
  name: string;
  /** The table whose primary-key lookup is the statement's baseline. */
  table: string;
  /** The names of the statements the case sends, in order, when it sends more than one. */
  parts?: string[];
  /** Only the reads whose text this matches are the case's (default: every read it sends). */
  only?: RegExp;
  /** Given a client and a pool that explain what they are sent. */
  run: (client: PoolClient, pool: Pool) => Promise<unknown>;
}

/** The tables that grow with the city: a sequential scan or a sort over one is what the report points out. */
export const LARGE_TABLES = new Set([
  'standing',
  'ledger_years',
  'ledger_centers',
  'trail',
  'center_districts',
  'events',
  'outbox',
  'event_seals',
  'applications',
  'candidacies',
  'report_deadlines',
  'operating_deadlines',
  'deadlines',
]);

/** A list's page, then its count when the page came back empty (past the last row). */
const LIST_PARTS = ['page', 'count'];

const bureau: Actor = { id: 'bench-bureau', role: 'city_bureau' };
const office: Actor = { id: 'bench-office', role: 'district_office', district: '220105' };
const sqlOf = async (db: PoolClient, sql: Sql) => db.query(sql.text, sql.params);

export function registryCases(scale: Scale): Case[] {
  const center = `center-${String(Math.min(42, scale.centers)).padStart(7, '0')}`;
  const operator: Actor = { id: 'bench-operator', role: 'operator', centerId: center };
  const deep = { limit: 50, offset: scale.deepOffset };
  const seq = (share: number) => String(Math.round(scale.trailLines * share));
  const standing = 'standing.standing';
  const years = 'ledger.ledger_years';
  const trail = 'audit.trail';
  return [
    {
      name: 'standing.list.bureau.page-50',
      table: standing,
      parts: LIST_PARTS,
      run: (db) => listStanding(db, bureau, {}, deep),
    },
    {
      name: 'standing.list.bureau.sort-grade-desc',
      table: standing,
      parts: LIST_PARTS,
      run: (db) => listStanding(db, bureau, {}, { ...deep, sort: { key: 'grade', descending: true } }),
    },
    {
      name: 'standing.list.office.sort-recognized-on',
      table: standing,
      parts: LIST_PARTS,
      run: (db) =>
        listStanding(
          db,
          office,
          {},
          {
            limit: 50,
            offset: Math.min(200, scale.deepOffset),
            sort: { key: 'recognizedOn', descending: false },
          },
        ),
    },
    {
      name: 'standing.list.bureau.awaiting-reports',
      table: standing,
      parts: LIST_PARTS,
      run: (db) => listStanding(db, bureau, { awaiting: 'operator:reports' }, { limit: 50, offset: 0 }),
    },
    {
      name: 'standing.list.bureau.unassessed-2034',
      table: standing,
      parts: LIST_PARTS,
      run: (db) => listStanding(db, bureau, { unassessed: 2034 }, { limit: 50, offset: 0 }),
    },
    {
      name: 'standing.list.bureau.grade-2030',
      table: standing,
      parts: LIST_PARTS,
      run: (db) => listStanding(db, bureau, { year: 2030, grade: '优秀' }, { limit: 50, offset: 0 }),
    },
    {
      name: 'standing.list.operator',
      table: standing,
      parts: LIST_PARTS,
      run: (db) => listStanding(db, operator, {}, { limit: 50, offset: 0 }),
    },
    {
      name: 'standing.summary.bureau.district-phase',
      table: standing,
      run: (db) => summarizeStanding(db, bureau, {}, ['district', 'phase']),
    },
    {
      name: 'standing.summary.office.unassessed-2034',
      table: standing,
      run: (db) => summarizeStanding(db, office, { unassessed: 2034 }, ['latestGrade']),
    },
    {
      name: 'standing.csv.bureau',
      table: standing,
      parts: ['count', 'rows'],
      run: async (db) => {
        const sql = standingExport(bureau, {}, undefined);
        await sqlOf(db, sql.count);
        await sqlOf(db, sql.rows);
      },
    },
    {
      name: 'ledger.list.bureau.sort-granted-desc',
      table: years,
      parts: ['page', 'count'],
      run: (db) => listLedgerYears(db, bureau, {}, { ...deep, sort: { key: 'granted', descending: true } }),
    },
    {
      name: 'ledger.list.office.undisbursed',
      table: years,
      parts: ['page', 'count'],
      run: (db) => listLedgerYears(db, office, { undisbursed: true }, { limit: 50, offset: 0 }),
    },
    {
      name: 'ledger.summary.bureau.by-year',
      table: years,
      run: (db) => summarizeLedger(db, bureau, {}, ['year']),
    },
    {
      name: 'ledger.summary.office.2030-by-support-year',
      table: years,
      run: (db) => summarizeLedger(db, office, { year: 2030 }, ['supportYear']),
    },
    ...(
      [
        ['ledger.csv.office', office],
        ['ledger.csv.bureau', bureau],
      ] as const
    ).map(([name, actor]): Case => ({
      name,
      table: years,
      parts: ['count', 'rows'],
      run: async (db) => {
        const sql = ledgerYearsExport(actor, {}, undefined);
        await sqlOf(db, sql.count);
        await sqlOf(db, sql.rows);
      },
    })),
    ...(
      [
        ['ledger.entries-csv.office.2030', office, { year: 2030 }],
        ['ledger.entries-csv.bureau', bureau, {}],
      ] as const
    ).map(([name, actor, filter]): Case => ({
      name,
      table: 'ledger.ledger_centers',
      parts: ['count', 'rows'],
      run: async (db) => {
        const sql = ledgerEntriesExport(actor, filter);
        await sqlOf(db, sql.count);
        await sqlOf(db, sql.rows);
      },
    })),
    {
      name: 'audit.center.first-page',
      table: trail,
      parts: ['heads', 'lines'],
      run: (db) => centerTrail(db, center, { limit: 500 }),
    },
    ...(
      [
        ['bureau.center-recognized', bureau, { types: ['review.center-recognized'] }],
        [
          'bureau.center-recognized.district',
          bureau,
          { types: ['review.center-recognized'], district: '220184' },
        ],
        ['bureau.activity-logged', bureau, { types: ['reporting.activity-logged'] }],
        ['office.activity-logged', office, { types: ['reporting.activity-logged'] }],
        [
          'office.activity-logged.after-mid',
          office,
          { types: ['reporting.activity-logged'], after: seq(0.5) },
        ],
        [
          'office.report-filed-overdue',
          office,
          { types: ['reporting.report-filed', 'reporting.report-overdue'] },
        ],
        ['office.report-overdue', office, { types: ['reporting.report-overdue'] }],
        [
          'bureau.finance-2030.after',
          bureau,
          {
            types: ['finance.grant-decided', 'finance.disbursement-recorded'],
            recordedFrom: '2030-01-01T00:00:00+08:00',
            recordedBefore: '2031-01-01T00:00:00+08:00',
            after: seq(0.4),
          },
        ],
        [
          'bureau.activity-logged.quarter-500',
          bureau,
          {
            types: ['reporting.activity-logged'],
            recordedFrom: '2031-01-01T00:00:00+08:00',
            recordedBefore: '2031-04-01T00:00:00+08:00',
            limit: 500,
          },
        ],
      ] as const
    ).map(([name, actor, page]): Case => ({
      name: `audit.centers.${name}`,
      table: trail,
      run: (db) => centersTrail(db, actor, { limit: 100, ...page, types: [...page.types] }),
    })),
  ];
}

const publisher = { publish: async () => undefined, disconnect: async () => undefined };

export function serviceCases(scale: Scale, longStream: string): Case[] {
  const expert = `expert-${String(Math.min(42, scale.experts - 1)).padStart(4, '0')}`;
  const deep = { limit: 50, offset: scale.deepOffset };
  const events = 'event_store.events';
  const candidacies = 'review.candidacies';
  return [
    {
      name: 'intake.start-up.stale-streams',
      table: events,
      run: (db) => staleApplicationStreams(db),
    },
    {
      name: 'review.start-up.stale-streams',
      table: events,
      run: (db) => staleCandidacyStreams(db),
    },
    {
      name: 'intake.list.bureau.page-50',
      table: 'intake.applications',
      parts: LIST_PARTS,
      run: (db) => listApplicationRows(db, 'all', {}, deep),
    },
    {
      name: 'intake.list.office.submitted',
      table: 'intake.applications',
      parts: LIST_PARTS,
      run: (db) =>
        listApplicationRows(db, { district: '220105' }, { status: ['submitted'] }, { limit: 50, offset: 0 }),
    },
    {
      name: 'review.list.bureau.page-50',
      table: candidacies,
      parts: LIST_PARTS,
      run: (db) => listCandidacyRows(db, 'all', {}, deep),
    },
    {
      name: 'review.list.expert',
      table: candidacies,
      parts: LIST_PARTS,
      run: (db) => listCandidacyRows(db, { expertId: expert }, {}, { limit: 50, offset: 0 }),
    },
    {
      name: 'review.list.expert.not-reviewed',
      table: candidacies,
      parts: LIST_PARTS,
      run: (db) =>
        listCandidacyRows(
          db,
          { expertId: expert },
          { reviewedBy: { expertId: expert, reviewed: false } },
          { limit: 50, offset: 0 },
        ),
    },
    {
      name: 'review.list.publicity',
      table: candidacies,
      parts: LIST_PARTS,
      run: (db) =>
        listCandidacyRows(
          db,
          'all',
          { status: ['in-publicity'], publishedBy: '2036-04-20' },
          { limit: 50, offset: 0, order: 'publicity-end' },
        ),
    },
    {
      name: 'review.assignments-of-expert',
      table: candidacies,
      run: (db) => assignmentsOfExpert(db, expert),
    },
    {
      name: 'reporting.claim.report-deadline',
      table: 'reporting.report_deadlines',
      run: (db) => claimPassedDeadline(db, '2036-04-20', []),
    },
    {
      name: 'reporting.claim.operating-deadline',
      table: 'reporting.operating_deadlines',
      run: (db) => claimPassedOperatingDeadline(db, '2036-04-20', []),
    },
    {
      name: 'review.claim.publicity-deadline',
      table: 'review.deadlines',
      run: (db) => claimDueDeadline(db, new Date('2036-04-20T00:00:00Z'), []),
    },
    {
      name: 'event-store.read-stream.long.two-types',
      table: events,
      run: (_, pool) =>
        new PostgresEventStore(pool).readStream(longStream, {
          toVersion: 1000,
          types: ['reporting.report-filed', 'reporting.report-due-scheduled'],
        }),
    },
    {
      name: 'event-store.read-stream.long.tail',
      table: events,
      run: (_, pool) => new PostgresEventStore(pool).readStream(longStream, { fromVersion: 901 }),
    },
    {
      name: 'event-store.stream-version',
      table: events,
      run: (_, pool) => new PostgresEventStore(pool).streamVersion(longStream),
    },
    {
      name: 'relay.backlog',
      table: 'event_store.outbox',
      run: (_, pool) => relayOn(pool).backlog(),
    },
    {
      name: 'relay.oldest-unpublished',
      table: 'event_store.outbox',
      run: (_, pool) => relayOn(pool).oldestUnpublishedSeconds(),
    },
    {
      // One batch published to a stand-in (the 50 unpublished rows, then marked); the lease's own reads are not
      // the relay's statement.
      name: 'relay.select',
      table: 'event_store.outbox',
      only: /from event_store\.outbox o join event_store\.events e/,
      run: async (_, pool) => {
        const relay = relayOn(pool);
        try {
          if ((await relay.publishOnce()) === 0) throw new Error('relay.select: nothing to publish');
        } finally {
          await relay.stop();
        }
      },
    },
    {
      // The head an append reads (a named statement), before the event is inserted.
      name: 'event-store.append.head',
      table: events,
      only: /order by stream_version desc limit 1/,
      run: (_, pool) =>
        new PostgresEventStore(pool, { outboxTopic: 'reporting' }).append(
          longStream,
          [{ type: 'reporting.activity-logged', schemaVersion: 1, payload: { title: 'bench' } }],
          { actor: { id: 'bench', role: 'system' }, correlationId: 'bench' },
        ),
    },
  ];
}

const relayOn = (pool: Pool) => new OutboxRelay({ pool, publisher, sealKeyId: 'k1' });
