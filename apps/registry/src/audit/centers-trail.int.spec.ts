import type { Actor } from '@nqpf/contracts';
import { createTestDatabase, explainPlans, planNodes, type PlanNode, type TestDatabase } from '@nqpf/testing';
import type { Pool } from 'pg';
import { centersTrail, type CentersTrailPage } from './audit.query';
import { migrateAuditTrail } from './audit.table';

/**
 * The plan of the statement `centersTrail` sends, with sequential scans and sorts priced out: on a test
 * table too small for the planner to prefer an index, it shows what the statement *can* be served by.
 */
async function planOf(pool: Pool, actor: Actor, page: CentersTrailPage): Promise<PlanNode> {
  const [plan] = await explainPlans(pool, (client) => centersTrail(client, actor, page), {
    settings: { enable_seqscan: 'off', enable_sort: 'off' },
  });
  return plan!;
}

/** Each scan of `trail_by_type`, with the nearest Sort or Limit above it (what bounds what it reads). */
function typeScans(plan: PlanNode): { cond: string; bound: string | null }[] {
  return planNodes(plan)
    .filter(({ node }) => node['Index Name'] === 'trail_by_type')
    .map(({ node, above }) => ({
      cond: node['Index Cond'] ?? '',
      bound:
        above
          .map((n) => n['Node Type'])
          .reverse()
          .find((type) => type === 'Sort' || type === 'Limit') ?? null,
    }));
}

const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
const nanguan: Actor = { id: 'nanguan-1', role: 'district_office', district: '南关区' };

/**
 * GET /audit/centers at the statement: one ordered walk of `trail_by_type` per type, each stopping after a
 * page, rather than every line of the types read and sorted on every page; the same lines, in the same
 * order, page after page, as the whole trail filtered and ordered.
 */
describe('centersTrail on PostgreSQL', () => {
  let db: TestDatabase;
  let all: { seq: string; eventId: string; type: string; at: string; district: string | null }[];
  const types = ['x.common', 'x.other', 'x.third', 'x.rare'];

  beforeAll(async () => {
    db = await createTestDatabase('centers_trail');
    await migrateAuditTrail(db.pool);
    // 600 lines of 30 centers over 50 instants (many ties), received out of recorded order; centers 25–29
    // have no district yet.
    await db.pool.query(
      `insert into audit.trail (event_id, topic, center_id, type, stream_id, stream_version, occurred_at,
                                recorded_at, actor, decisions)
       select 'e-' || i, 'topic-' || (i % 3), 'c-' || (i % 30),
              (array['x.common', 'x.common', 'x.other', 'x.third', 'x.common', 'x.rare'])[1 + (i * 7) % 6],
              's-' || i, 1, timestamptz '2027-01-01T00:00:00Z' + ((i * 7919) % 50) * interval '1 hour',
              timestamptz '2027-01-01T00:00:00Z' + ((i * 7919) % 50) * interval '1 hour', '{}', '[]'
         from generate_series(1, 600) as i`,
    );
    await db.pool.query(
      `insert into audit.center_districts (center_id, district)
       select 'c-' || i, (array['南关区', '宽城区', '朝阳区'])[1 + i % 3] from generate_series(0, 24) as i`,
    );
    await db.pool.query('analyze audit.trail; analyze audit.center_districts');
    const { rows } = await db.pool.query(
      `select t.seq, t.event_id, t.type, t.recorded_at, d.district
         from audit.trail t left join audit.center_districts d using (center_id)`,
    );
    all = rows.map((r) => ({
      seq: r.seq,
      eventId: r.event_id,
      type: r.type,
      at: (r.recorded_at as Date).toISOString(),
      district: r.district,
    }));
  });
  afterAll(() => db?.drop());

  /** Every page, walked with the cursor, concatenated; and the pages' count. */
  async function walk(actor: Actor, page: Omit<CentersTrailPage, 'after'>): Promise<[string[], number]> {
    const seqs: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const { lines, next } = await centersTrail(db.pool, actor, { ...page, after });
      seqs.push(...lines.map((l) => all.find((a) => a.eventId === l.eventId)!.seq));
      after = next ?? undefined;
      pages++;
    } while (after !== undefined && pages < 200);
    return [seqs, pages];
  }

  it('reads each type from trail_by_type in the page order, stopping after a page, for the bureau and an office', async () => {
    const pages: [Actor, CentersTrailPage][] = [
      [bureau, { types: ['x.common'], limit: 10 }],
      [bureau, { types: ['x.common', 'x.rare', 'x.common'], limit: 10, after: all[0]!.seq }],
      [
        bureau,
        {
          types: ['x.other', 'x.third'],
          district: '宽城区',
          recordedFrom: '2027-01-01T05:00:00Z',
          recordedBefore: '2027-01-02T00:00:00Z',
          limit: 5,
        },
      ],
      [nanguan, { types: ['x.common', 'x.other'], limit: 10, after: all[0]!.seq }],
    ];
    for (const [actor, page] of pages) {
      const scans = typeScans(await planOf(db.pool, actor, page));
      // One scan, run once per distinct type (a nested loop), its index condition one type, not `= ANY`:
      // each part reads its type in (recorded_at, seq) order up to a page (a Limit above it, no Sort of
      // all its lines).
      expect(scans).toHaveLength(1);
      expect(scans[0]!.bound).toBe('Limit');
      expect(scans[0]!.cond).toMatch(/^\(+type = /);
      expect(scans[0]!.cond).not.toMatch(/ANY/);
      // A later page starts at the cursor in the index, not at the period's first line.
      if (page.after !== undefined) expect(scans[0]!.cond).toMatch(/ROW\(recorded_at, seq\) > /);
    }
  });

  it('answers the same lines in the same order as the whole trail filtered, page after page', async () => {
    const cases: [Actor, Omit<CentersTrailPage, 'after'>][] = [
      [bureau, { types: ['x.common'], limit: 7 }],
      [bureau, { types: ['x.common', 'x.rare', 'x.common'], limit: 13 }],
      [bureau, { types: ['x.rare', 'x.other'], district: '朝阳区', limit: 4 }],
      [
        bureau,
        {
          types: ['x.other', 'x.third'],
          recordedFrom: '2027-01-01T05:00:00Z',
          recordedBefore: '2027-01-02T00:00:00Z',
          limit: 9,
        },
      ],
      [nanguan, { types: ['x.common', 'x.other', 'x.third'], limit: 11 }],
      [nanguan, { types: ['x.rare'], district: '宽城区', limit: 3 }],
      [nanguan, { types, limit: 500 }],
    ];
    for (const [actor, page] of cases) {
      const expected = all
        .filter(
          (l) =>
            page.types.includes(l.type) &&
            (page.recordedFrom === undefined || l.at >= new Date(page.recordedFrom).toISOString()) &&
            (page.recordedBefore === undefined || l.at < new Date(page.recordedBefore).toISOString()) &&
            (page.district === undefined || l.district === page.district) &&
            (actor.role !== 'district_office' || l.district === actor.district),
        )
        .sort((a, b) => a.at.localeCompare(b.at) || Number(a.seq) - Number(b.seq))
        .map((l) => l.seq);
      const [seqs, pages] = await walk(actor, page);
      expect(seqs).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / page.limit)));
    }
  });
});
