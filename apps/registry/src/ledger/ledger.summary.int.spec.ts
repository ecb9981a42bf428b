import request from 'supertest';
import { EventEnvelope, serviceTopic } from '@nqpf/contracts';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import { PG_POOL } from '@nqpf/platform';
import type { Pool } from 'pg';
import {
  expectRefusedAsInvalid,
  eventually,
  startService,
  ServiceUnderTest,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { loadRegistryConfig } from '../config';
import { RegistryModule } from '../registry.module';
import { finance } from './finance-story.fixture';
import { conforming } from '../read-api/testing/answers';

const AMOUNTS = ['granted', 'disbursed', 'spent', 'rejected', 'cancelled', 'balance', 'undisbursed'] as const;
type Amount = (typeof AMOUNTS)[number];
type Row = Record<Amount, string> & {
  centerId: string;
  district: string | null;
  calendarYear: number | null;
  supportYear: number;
  spentByCategory: Record<string, string>;
};
type Key = 'district' | 'year' | 'supportYear';
type Sums = Record<Amount, string> & { years: number; spentByCategory: Record<string, string> };

/** GET /ledger/summary sums what GET /ledger lists, with its filters and in its scope, exactly (fen). */
describe('ledger summary on PostgreSQL and Kafka', () => {
  const environment = testEnvironment(uniqueName('ledger-summary'));
  const publisher = new KafkaEventPublisher(createKafka('ledger-summary-test', testInfra().kafkaBrokers));
  let registry: ServiceUnderTest;
  const publish = (events: EventEnvelope[]) =>
    publisher.publish(serviceTopic('finance', environment.topicPrefix), events.map(toWire));
  const get = async (path: string, token: string) =>
    conforming(await request(registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`));

  // Ten rejections of the largest amount an entry takes: their sum outgrows a bigint (and a JS number).
  const huge = '999999999999999999';
  const supportYears = 5 * 3;

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
    await publish([
      finance.accountOpened('north', '南关区', '2026-03-10'),
      finance.grant('north', 'n-g1', 1, '150000000'),
      finance.disbursement('north', 'n-d1', 1, '100000000'),
      finance.expenditure('north', 'n-e1', '房租费', '3000000'),
      finance.expenditure('north', 'n-e2', '能源费', '1000000'),
      finance.rejected('north', 'n-x1', '赞助', '500000'),
      finance.accountOpened('rejecting', '南关区', '2026-03-10'),
      ...Array.from({ length: 10 }, (_, i) => finance.rejected('rejecting', `r-x${i}`, '赞助', huge)),
      finance.accountOpened('south', '宽城区', '2027-04-01'),
      finance.grant('south', 's-g1', 1, '90000000'),
      // 朝阳区: a year paid in full, one whose rest the stop cancelled, and a second year granted.
      finance.accountOpened('paid', '朝阳区', '2026-03-10'),
      finance.grant('paid', 'p-g1', 1, '80000000'),
      finance.disbursement('paid', 'p-d1', 1, '80000000'),
      finance.expenditure('paid', 'p-e1', '房租费', '2000000'),
      finance.accountOpened('stopped', '朝阳区', '2026-03-10'),
      finance.grant('stopped', 't-g1', 1, '60000000'),
      finance.disbursement('stopped', 't-d1', 1, '20000000'),
      finance.expenditure('stopped', 't-e1', '物业费', '1500000'),
      finance.cancelled('stopped', 1, '40000000', '2026-08-01'),
      finance.grant('stopped', 't-g2', 2, '10000000'),
    ]);
    const bureau = await registry.token({ role: 'city_bureau' });
    await eventually(async () => {
      const res = await get('/ledger?limit=200', bureau);
      expect(res.body.total).toBe(supportYears);
      const year = (centerId: string, supportYear: number) =>
        res.body.items.find((r: Row) => r.centerId === centerId && r.supportYear === supportYear);
      expect(year('rejecting', 1).rejected).toBe('9999999999999999990');
      expect(year('stopped', 1)).toMatchObject({ cancelled: '40000000', spent: '1500000' });
      expect(year('stopped', 2).granted).toBe('10000000');
      expect(year('paid', 1).spent).toBe('2000000');
      expect(year('north', 1)).toMatchObject({ spent: '4000000', rejected: '500000' });
    }, 90_000);
  }, 180_000);

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.close();
  });

  /** Every support-year row GET /ledger lists with this query (pages of 200). */
  const listed = async (query: string, token: string): Promise<Row[]> => {
    const rows: Row[] = [];
    for (let offset = 0; ; offset += 200) {
      const res = await get(`/ledger?${query}&limit=200&offset=${offset}`, token);
      expect(res.status).toBe(200);
      rows.push(...res.body.items);
      if (rows.length >= res.body.total) return rows;
    }
  };

  const keyOf = (row: Row, key: Key) =>
    key === 'year' ? row.calendarYear : key === 'district' ? row.district : row.supportYear;

  /** The rows' amounts summed exactly (BigInt), as the summary's sums. */
  const summed = (rows: Row[]): Sums => {
    const sums = Object.fromEntries(AMOUNTS.map((a) => [a, 0n])) as Record<Amount, bigint>;
    const byCategory = new Map<string, bigint>();
    for (const row of rows) {
      for (const a of AMOUNTS) sums[a] += BigInt(row[a]);
      for (const [category, fen] of Object.entries(row.spentByCategory))
        byCategory.set(category, (byCategory.get(category) ?? 0n) + BigInt(fen));
    }
    return {
      years: rows.length,
      ...(Object.fromEntries(AMOUNTS.map((a) => [a, sums[a].toString()])) as Record<Amount, string>),
      spentByCategory: Object.fromEntries([...byCategory].map(([c, fen]) => [c, fen.toString()])),
    };
  };

  /** The list's rows summed per group, in the summary's form (groups in no particular order). */
  const grouped = (rows: Row[], by: Key[]) => {
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = JSON.stringify(by.map((k) => keyOf(row, k)));
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return [...groups.values()].map((members) => ({
      ...Object.fromEntries(by.map((k) => [k, keyOf(members[0]!, k)])),
      ...summed(members),
    }));
  };
  /** Order-free comparison, and category maps compared whatever their keys' order. */
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
    );
  const unordered = (groups: unknown[]) => groups.map(canonical).sort();

  it('sums exactly what each role lists, per group, with each filter of the list: the bureau, two district offices, an operator, finance, an auditor', async () => {
    const actors = {
      bureau: await registry.token({ role: 'city_bureau' }),
      chaoyang: await registry.token({ role: 'district_office', district: '朝阳区' }),
      nanguan: await registry.token({ role: 'district_office', district: '南关区' }),
      operator: await registry.token({ role: 'operator', centerId: 'stopped' }),
      finance: await registry.token({ role: 'finance_officer' }),
      auditor: await registry.token({ role: 'auditor' }),
    };
    const filters = [
      '',
      'district=朝阳区',
      'year=2027',
      'supportYear=1',
      'undisbursed=true',
      'undisbursed=false&district=南关区',
    ];
    const groupings: Key[][] = [
      ['year'],
      ['district'],
      ['supportYear'],
      ['district', 'year'],
      ['supportYear', 'district'],
    ];
    const counted: Record<string, number> = {};
    for (const [name, token] of Object.entries(actors))
      for (const filter of filters) {
        const rows = await listed(filter, token);
        for (const by of groupings) {
          const res = await get(`/ledger/summary?${filter}&groupBy=${by.join(',')}`, token);
          expect({ name, filter, by, status: res.status }).toEqual({ name, filter, by, status: 200 });
          const { years, ...totals } = summed(rows);
          expect({
            name,
            filter,
            by,
            body: { ...res.body, totals: canonical(res.body.totals), groups: unordered(res.body.groups) },
          }).toEqual({
            name,
            filter,
            by,
            body: { groupBy: by, years, totals: canonical(totals), groups: unordered(grouped(rows, by)) },
          });
        }
        counted[`${name} ${filter}`] = rows.length;
      }
    // The scope narrows them: a district office its district (another asked for: none), an operator its center.
    expect(counted).toMatchObject({
      'bureau ': supportYears,
      'chaoyang ': 6,
      'chaoyang undisbursed=false&district=南关区': 0,
      'nanguan ': 6,
      'operator ': 3,
      'operator district=朝阳区': 3,
      'operator undisbursed=false&district=南关区': 0,
      'finance ': supportYears,
      'auditor undisbursed=true': 3,
    });
  }, 120_000);

  it('groups by calendar year when not told, in order; amounts are decimal strings of fen, past a bigint too', async () => {
    const officer = await registry.token({ role: 'finance_officer' });
    const byYear = await get('/ledger/summary', officer);
    expect(byYear.body).toMatchObject({ groupBy: ['year'], years: supportYears });
    expect(byYear.body.groups.map((g: { year: number }) => g.year)).toEqual([2026, 2027, 2028, 2029]);
    expect(byYear.body.totals.rejected).toBe('10000000000000499990');
    // 朝阳区 per support year: the paid year and the cancelled one, then the second year's grant, to pay.
    const chaoyang = await get('/ledger/summary?district=朝阳区&groupBy=supportYear', officer);
    const zero = {
      granted: '0',
      disbursed: '0',
      spent: '0',
      rejected: '0',
      cancelled: '0',
      balance: '0',
      undisbursed: '0',
      spentByCategory: {},
    };
    expect(chaoyang.body).toEqual({
      groupBy: ['supportYear'],
      years: 6,
      totals: {
        granted: '150000000',
        disbursed: '100000000',
        spent: '3500000',
        rejected: '0',
        cancelled: '40000000',
        balance: '96500000',
        undisbursed: '10000000',
        spentByCategory: { 房租费: '2000000', 物业费: '1500000' },
      },
      groups: [
        {
          supportYear: 1,
          years: 2,
          granted: '140000000',
          disbursed: '100000000',
          spent: '3500000',
          rejected: '0',
          cancelled: '40000000',
          balance: '96500000',
          undisbursed: '0',
          spentByCategory: { 房租费: '2000000', 物业费: '1500000' },
        },
        { supportYear: 2, years: 2, ...zero, granted: '10000000', undisbursed: '10000000' },
        { supportYear: 3, years: 2, ...zero },
      ],
    });
    // Nothing matches: no groups, the totals zero.
    const none = await get('/ledger/summary?district=二道区', officer);
    expect(none.body).toEqual({ groupBy: ['year'], years: 0, totals: zero, groups: [] });
  });

  it('answers from one SQL statement (one snapshot)', async () => {
    const pool = registry.app.get<Pool>(PG_POOL);
    const officer = await registry.token({ role: 'finance_officer' });
    const spy = jest.spyOn(pool, 'query');
    try {
      expect((await get('/ledger/summary?groupBy=district,year&undisbursed=true', officer)).status).toBe(200);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a bad groupBy naming the keys it takes, and the filters as the list does; an expert 403', async () => {
    const officer = await registry.token({ role: 'finance_officer' });
    const refusals = {
      '/ledger/summary?groupBy=calendarYear':
        'groupBy: one or two of district, year, supportYear, comma-separated; "calendarYear" is not one',
      '/ledger/summary?groupBy=district,year,supportYear': 'groupBy: at most two of',
      '/ledger/summary?groupBy=year,year': 'groupBy: "year" is given twice',
      '/ledger/summary?sort=granted': 'sort: not a parameter of this route',
      '/ledger/summary?offset=0': 'offset: not a parameter of this route',
      '/ledger/summary?undisbursed=yes': 'undisbursed: must be one of true, false',
      '/ledger/summary?supportYear=0': 'supportYear: must be an integer from 1 to 99',
      '/ledger/summary?district=南关去': 'district: "南关去" is neither a district-level unit (A3',
    };
    await expectRefusedAsInvalid(refusals, (path) => get(path, officer));
    const expert = await registry.token({ role: 'expert' });
    expect((await get('/ledger/summary', expert)).status).toBe(403);
  });
});
