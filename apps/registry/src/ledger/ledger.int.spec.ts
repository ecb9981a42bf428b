import request from 'supertest';
import { EventEnvelope, ReportingEventTypes, serviceTopic, ServiceName } from '@nqpf/contracts';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import {
  eventually,
  startService,
  ServiceUnderTest,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { loadRegistryConfig } from '../config';
import { RegistryModule } from '../registry.module';
import { shanghaiToday } from '@nqpf/rules';
import { finance } from './finance-story.fixture';
import { intakeStory, reviewStory } from '../standing/center-story.fixture';
import { envelope } from '../standing/event-fixture';
import { conforming } from '../read-api/testing/answers';

type Row = { centerId: string; supportYear: number; undisbursed: string };

/** One CSV record's cells (RFC 4180 as toCsv writes it: a quoted cell may hold commas and doubled quotes). */
const csvCells = (line: string): string[] =>
  [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)]
    .map((m) => m[1]!)
    .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));

/** Finance's events published straight to its topic reach the ledger API, scoped per actor, once each. */
describe('ledger read model on PostgreSQL and Kafka', () => {
  const environment = testEnvironment(uniqueName('ledger'));
  // 宽城区 left out of the configured units: a district only the data names still filters.
  environment.env = { ...environment.env, NQPF_DISTRICT_UNITS: '南关区,朝阳区' };
  const publisher = new KafkaEventPublisher(createKafka('ledger-test', testInfra().kafkaBrokers));
  let registry: ServiceUnderTest;
  const publishTo = (service: ServiceName, events: EventEnvelope[]) =>
    publisher.publish(serviceTopic(service, environment.topicPrefix), events.map(toWire));
  const publish = (events: EventEnvelope[]) => publishTo('finance', events);

  const north = 'center-north';
  const south = 'center-south';
  // Added by the later tests, in 朝阳区: a year paid in full, one whose rest the stop cancelled.
  const paid = 'center-paid';
  const stopped = 'center-stopped';

  beforeAll(async () => {
    // The district offices below act for 宽城区: authentication, which refuses a `district` claim naming no
    // configured unit, is given it; the registry's own list (its district filter) is not.
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), {
        ...env,
        NQPF_DISTRICT_UNITS: '南关区,朝阳区,宽城区',
      }),
    );
    const spend = finance.expenditure(north, 'e1', '房租费', '3000000');
    await publish([
      finance.accountOpened(north, '南关区', '2026-03-10'),
      finance.grant(north, 'g1', 1, '150000000'),
      finance.disbursement(north, 'd1', 1, '100000000'),
      spend,
      spend, // a duplicated delivery
      finance.expenditure(north, 'e2', '能源费', '1000000'),
      finance.rejected(north, 'x1', '赞助', '500000'),
      finance.accountOpened(south, '宽城区', '2027-04-01'),
      finance.grant(south, 'g2', 1, '90000000'),
    ]);
  });

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.close();
  });

  const get = async (path: string, token: string) =>
    conforming(await request(registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`));

  it('shows granted, disbursed, spent by category, rejected and balance per support year in fen strings', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const body = await eventually(async () => {
      const res = await get(`/ledger/${north}`, bureau);
      expect(res.status).toBe(200);
      expect(res.body.years[0].rejected).toBe('500000');
      expect(res.body.entries).toHaveLength(5);
      return res.body;
    });
    expect(body.district).toBe('南关区');
    expect(body.years[0]).toMatchObject({
      supportYear: 1,
      calendarYear: 2026,
      granted: '150000000',
      disbursed: '100000000',
      spent: '4000000',
      spentByCategory: { 房租费: '3000000', 能源费: '1000000' },
      balance: '96000000',
      undisbursed: '50000000',
      grantPolicyVersion: 'p2026',
    });
    expect(body.years.map((y: { supportYear: number }) => y.supportYear)).toEqual([1, 2, 3]);
    expect(body.entries[0]).toMatchObject({ kind: 'grant', amount: '150000000', policyVersion: 'p2026' });
  });

  it('lists support years with filters, sorting and pages of at most 200', async () => {
    const bureau = await registry.token({ role: 'finance_officer' });
    const all = await eventually(async () => {
      const res = await get('/ledger?sort=-granted', bureau);
      expect(res.body.total).toBe(6);
      expect(res.body.items[1]).toMatchObject({ centerId: south, granted: '90000000' });
      return res.body;
    });
    expect(all.items[0]).toMatchObject({
      centerId: north,
      supportYear: 1,
      granted: '150000000',
      undisbursed: '50000000',
    });
    const year = await get('/ledger?year=2027', bureau);
    expect(year.body.items.map((r: { centerId: string }) => r.centerId)).toEqual([north, south]);
    const district = await get('/ledger?district=宽城区&limit=1&offset=1', bureau);
    expect(district.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect((await get('/ledger?limit=201', bureau)).status).toBe(400);
    expect((await get('/ledger?sort=nonsense', bureau)).body.message).toContain('sort');
  });

  it('lets a district office see its district and an operator its center, as list, item and CSV', async () => {
    await eventually(async () => {
      const auditor = await registry.token({ role: 'auditor' });
      expect((await get('/ledger', auditor)).body.total).toBe(6);
    });
    const district = await registry.token({ role: 'district_office', district: '宽城区' });
    const list = await get('/ledger', district);
    expect(new Set(list.body.items.map((r: { centerId: string }) => r.centerId))).toEqual(new Set([south]));
    // Out of scope answers exactly as an unknown center: the write services' not_found body.
    const hidden = await get(`/ledger/${north}`, district);
    const notFound = (id: string) => ({
      statusCode: 404,
      error: 'not_found',
      message: `ledger ${id} not found`,
      what: 'ledger',
      id,
    });
    expect([hidden.status, hidden.body]).toEqual([404, notFound(north)]);
    expect((await get('/ledger/nowhere', district)).body).toEqual(notFound('nowhere'));
    const operator = await registry.token({ role: 'operator', centerId: north });
    expect((await get(`/ledger/${north}`, operator)).status).toBe(200);
    expect((await get(`/ledger/${south}`, operator)).status).toBe(404);
    const csv = await get('/ledger.csv', operator);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toContain('granted');
    expect(csv.text).toContain(north);
    expect(csv.text).not.toContain(south);
  });

  it('exports every entry with center, district, support year, kind, amount in fen, date, category and policy version', async () => {
    const officer = await registry.token({ role: 'finance_officer' });
    const rows = await eventually(async () => {
      const res = await get('/ledger/entries.csv', officer);
      expect(res.status).toBe(200);
      const lines = res.text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean);
      expect(lines).toHaveLength(7);
      return { res, lines: lines.map((l) => l.split(',')) };
    });
    expect(rows.res.headers['content-type']).toContain('text/csv');
    expect(rows.res.headers['content-disposition']).toContain('ledger-entries.csv');
    const [header, ...entries] = rows.lines;
    expect(header).toEqual([
      'centerId',
      'district',
      'supportYear',
      'calendarYear',
      'entryId',
      'kind',
      'amountFen',
      'date',
      'category',
      'policyVersion',
      'reversesEntryId',
      'correctsEntryId',
      'reason',
      'reference',
      'reversedKind',
      'operatorName',
      'status',
      'operatorCreditCode',
    ]);
    // No voucher references or reversals in this story (the center's name and status: below).
    expect(entries.map((e) => e.slice(13, 15))).toEqual(entries.map(() => ['', '']));
    expect(entries.map((e) => e.slice(0, 13))).toEqual([
      [north, '南关区', '1', '2026', 'g1', 'grant', '150000000', '2026-05-01', '', 'p2026', '', '', ''],
      [north, '南关区', '1', '2026', 'd1', 'disbursement', '100000000', '2026-05-10', '', '', '', '', ''],
      [
        north,
        '南关区',
        '1',
        '2026',
        'e1',
        'expenditure',
        '3000000',
        '2026-06-01',
        '房租费',
        'p2026',
        '',
        '',
        '',
      ],
      [
        north,
        '南关区',
        '1',
        '2026',
        'e2',
        'expenditure',
        '1000000',
        '2026-06-01',
        '能源费',
        'p2026',
        '',
        '',
        '',
      ],
      [
        north,
        '南关区',
        '1',
        '2026',
        'x1',
        'rejected-expenditure',
        '500000',
        '2026-06-02',
        '赞助',
        'p2026',
        '',
        '',
        'A13: 赞助 is forbidden',
      ],
      [south, '宽城区', '1', '2027', 'g2', 'grant', '90000000', '2026-05-01', '', 'p2026', '', '', ''],
    ]);
    // The scope and filters of ledger.csv.
    const operator = await registry.token({ role: 'operator', centerId: south });
    const own = await get('/ledger/entries.csv', operator);
    expect(own.text).toContain('g2');
    expect(own.text).not.toContain(north);
    const kuancheng = await registry.token({ role: 'district_office', district: '宽城区' });
    expect((await get('/ledger/entries.csv', kuancheng)).text).not.toContain(north);
    const year2027 = await get('/ledger/entries.csv?year=2027', officer);
    expect(year2027.text.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(year2027.text).toContain('g2');
    const nanguan = await get('/ledger/entries.csv?district=南关区&supportYear=1', officer);
    expect(nanguan.text.split('\r\n').filter(Boolean)).toHaveLength(6);
    const sorted = await get('/ledger/entries.csv?sort=-granted', officer);
    expect(sorted.status).toBe(400);
    expect(sorted.body).toMatchObject({ error: 'invalid_input', field: 'sort' });
    expect(sorted.body.message).toContain('sort: not a parameter of this route');
  });

  it('refuses a district that is neither a configured unit nor in the data, naming `district`', async () => {
    const officer = await registry.token({ role: 'finance_officer' });
    for (const path of ['/ledger', '/ledger.csv', '/ledger/entries.csv']) {
      const typo = await get(`${path}?district=${encodeURIComponent('南关去')}`, officer);
      expect({ path, status: typo.status }).toEqual({ path, status: 400 });
      expect(typo.body).toMatchObject({ error: 'invalid_input', field: 'district' });
      expect(typo.body.message).toMatch(/^district: "南关去" is neither a district-level unit/);
      // A configured unit without centers yet: an empty answer, not a 400.
      const configured = await get(`${path}?district=${encodeURIComponent('朝阳区')}`, officer);
      expect({ path, status: configured.status }).toEqual({ path, status: 200 });
    }
    expect((await get('/ledger?district=朝阳区', officer)).body.total).toBe(0);
    // A district only the data names (not configured here) still filters.
    const kuancheng = await get(`/ledger?district=${encodeURIComponent('宽城区')}`, officer);
    expect(kuancheng.status).toBe(200);
    expect(kuancheng.body.total).toBe(3);
  });

  it('shows the ledgers as recorded at a past instant, scoped, without the grants recorded after it', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    await eventually(async () => {
      expect((await get(`/ledger/${north}`, bureau)).body.entries).toHaveLength(5);
    });
    const before = new Date();
    const later = new Date(before.getTime() + 1000).toISOString();
    await publish([finance.grant(north, 'g3', 2, '7000000', later)]);
    await eventually(async () => {
      const live = await get(`/ledger/${north}`, bureau);
      expect(live.body.years[1]).toMatchObject({ supportYear: 2, granted: '7000000' });
    });
    const at = encodeURIComponent(before.toISOString());
    const past = await get(`/ledger/as-of?at=${at}&centerId=${north}`, bureau);
    expect(past.status).toBe(200);
    expect(past.body.items).toHaveLength(1);
    expect(past.body.items[0].years[0]).toMatchObject({ granted: '150000000', balance: '96000000' });
    expect(past.body.items[0].years[1]).toMatchObject({ supportYear: 2, granted: '0' });
    const district = await registry.token({ role: 'district_office', district: '宽城区' });
    const scoped = await get(`/ledger/as-of?at=${at}`, district);
    expect(scoped.body.items.map((l: { centerId: string }) => l.centerId)).toEqual([south]);
    const bad = await get('/ledger/as-of?at=2026-03-32', bureau);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_input', field: 'at' });
    expect(bad.body.message).toContain('at: 2026-03-32 is not a date of the calendar');
    // A date is the end of that day in Asia/Shanghai: before any of these events, and after all of them.
    expect((await get('/ledger/as-of?at=2020-01-01', bureau)).body).toMatchObject({
      at: '2020-01-01T15:59:59.999Z',
      items: [],
    });
    const tomorrow = shanghaiToday(new Date(Date.now() + 86_400_000));
    const all = await get(`/ledger/as-of?at=${tomorrow}&centerId=${north}`, bureau);
    expect(all.body.items[0].years[1]).toMatchObject({ supportYear: 2, granted: '7000000' });
  });

  it("lists the finance officers' work, the years with something left to pay (?undisbursed=), as the rows' undisbursed says", async () => {
    // After the tests counting rows: two more centers' years, in 朝阳区.
    await publish([
      finance.accountOpened(paid, '朝阳区', '2026-03-10'),
      finance.grant(paid, 'p-g1', 1, '80000000'),
      finance.disbursement(paid, 'p-d1', 1, '80000000'),
      finance.accountOpened(stopped, '朝阳区', '2026-03-10'),
      finance.grant(stopped, 's-g1', 1, '60000000'),
      finance.disbursement(stopped, 's-d1', 1, '20000000'),
      finance.cancelled(stopped, 1, '40000000', '2026-08-01'),
      finance.grant(stopped, 's-g2', 2, '10000000'),
    ]);
    const officer = await registry.token({ role: 'finance_officer' });
    const all = await eventually(async () => {
      const res = await get('/ledger?district=朝阳区&limit=200', officer);
      expect(res.body.items).toHaveLength(6);
      expect(res.body.items.find((r: Row) => r.centerId === stopped && r.supportYear === 2)).toMatchObject({
        granted: '10000000',
      });
      expect(res.body.items.find((r: Row) => r.centerId === stopped && r.supportYear === 1)).toMatchObject({
        cancelled: '40000000',
      });
      return (await get('/ledger?limit=200', officer)).body.items as Row[];
    });
    const key = (r: Row) => `${r.centerId}/${r.supportYear}`;
    const keys = (rows: Row[]) => rows.map(key).sort();
    // The filter in SQL and the rows' undisbursed (ledger.view undisbursedOf) split every row the same way.
    const toPay = all.filter((r) => BigInt(r.undisbursed) > 0n);
    const yes = await get('/ledger?undisbursed=true&limit=200', officer);
    const no = await get('/ledger?undisbursed=false&limit=200', officer);
    expect(keys(yes.body.items)).toEqual(keys(toPay));
    expect(keys(no.body.items)).toEqual(keys(all.filter((r) => !toPay.includes(r))));
    expect(yes.body.total + no.body.total).toBe(all.length);
    // Paid in full, or the rest cancelled: nothing to pay; granted, part paid: the rest; not granted: nothing.
    expect(keys(yes.body.items)).toEqual(
      expect.arrayContaining([`${north}/1`, `${south}/1`, `${north}/2`, `${stopped}/2`]),
    );
    expect(keys(no.body.items)).toEqual(
      expect.arrayContaining([`${paid}/1`, `${stopped}/1`, `${north}/3`, `${paid}/2`]),
    );
    // The export takes it too, with the other filters and in the district office's scope only.
    const csv = await get('/ledger.csv?undisbursed=true&district=朝阳区', officer);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([`${stopped},朝阳区,2`]);
    const office = await registry.token({ role: 'district_office', district: '宽城区' });
    const own = await get('/ledger?undisbursed=true', office);
    expect(keys(own.body.items)).toEqual([`${south}/1`]);
    const ownCsv = await get('/ledger.csv?undisbursed=true', office);
    expect(ownCsv.text).toContain(`${south},宽城区,1,`);
    expect(ownCsv.text).not.toContain(north);
    expect(ownCsv.text).not.toContain(stopped);
    for (const path of ['/ledger?undisbursed=yes', '/ledger.csv?undisbursed=1']) {
      const bad = await get(path, officer);
      expect({ path, status: bad.status }).toEqual({ path, status: 400 });
      expect(bad.body).toMatchObject({ error: 'invalid_input', field: 'undisbursed' });
      expect(bad.body.message).toContain('undisbursed: must be one of true, false');
    }
    // Entries are not support years: no such filter there.
    const entries = await get('/ledger/entries.csv?undisbursed=true', officer);
    expect(entries.body).toMatchObject({ error: 'invalid_input', field: 'undisbursed' });
  });

  it("appends the center's operator name and status from its standing to both exports, scoped as before, empty without a standing row", async () => {
    // The standing reads every topic: north recognised, its operator since renamed (A16); south applying.
    await publishTo('review', reviewStory(north, '南关区', '2026-03-10'));
    await publishTo('reporting', [
      envelope(ReportingEventTypes.MajorChangeReported, north, {
        centerId: north,
        changeId: 'mc1',
        changes: ['operator_changed'],
        description: '运营主体变更',
        effectiveOn: '2027-04-01',
        reportedOn: '2027-04-03',
        newFacts: { operator: { name: '长春新运营有限公司', creditCode: '91220100MA0000002X' } },
      }),
    ]);
    await publishTo('intake', intakeStory(south, '宽城区'));
    const bureau = await registry.token({ role: 'city_bureau' });
    await eventually(async () => {
      expect((await get(`/standing/${north}`, bureau)).body).toMatchObject({
        status: 'recognised',
        operator: { name: '长春新运营有限公司' },
      });
      expect((await get(`/standing/${south}`, bureau)).body.operator.name).toBe('长春创新运营有限公司');
    });
    // A ledger whose center has no standing row (not read yet, or a rebuild without it): empty cells.
    await eventually(async () => expect((await get(`/standing/${paid}`, bureau)).status).toBe(200));
    await registry.db.pool.query('delete from standing.standing where center_id = $1', [paid]);
    const table = (text: string) => {
      const [header, ...lines] = text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean)
        .map(csvCells);
      return {
        header: header!,
        rows: lines.map((l) => Object.fromEntries(header!.map((h, i) => [h, l[i]]))),
      };
    };
    const cells = (rows: Record<string, string | undefined>[]) =>
      rows.map((r) => [r.centerId, r.supportYear, r.operatorName, r.status].join(' '));

    const years = table((await get('/ledger.csv?supportYear=1', bureau)).text);
    expect(years.header.slice(-4)).toEqual([
      'undisbursedFen',
      'operatorName',
      'status',
      'operatorCreditCode',
    ]);
    expect(cells(years.rows)).toEqual([
      `${north} 1 长春新运营有限公司 recognised`,
      `${paid} 1  `,
      `${south} 1 长春创新运营有限公司 applying`,
      `${stopped} 1  applying`,
    ]);
    // The other cells stay where they were (the quoted spentByCategoryFen holds a comma); the credit code is
    // the one the change named, as the standing shows it.
    expect(years.rows[0]).toMatchObject({
      spentByCategoryFen: '{"房租费":"3000000","能源费":"1000000"}',
      undisbursedFen: '50000000',
      operatorCreditCode: '91220100MA0000002X',
    });
    expect(years.rows[1]!.operatorCreditCode).toBe('');
    const entries = table((await get('/ledger/entries.csv?district=南关区', bureau)).text);
    expect(entries.header.slice(-4)).toEqual([
      'reversedKind',
      'operatorName',
      'status',
      'operatorCreditCode',
    ]);
    expect(new Set(cells(entries.rows).map((c) => c.replace(/ \d+ /, ' _ ')))).toEqual(
      new Set([`${north} _ 长春新运营有限公司 recognised`]),
    );

    // A district office: its district's rows only, in both exports, as before the join.
    const office = await registry.token({ role: 'district_office', district: '宽城区' });
    const ownYears = table((await get('/ledger.csv', office)).text);
    expect(cells(ownYears.rows)).toEqual([1, 2, 3].map((y) => `${south} ${y} 长春创新运营有限公司 applying`));
    const ownEntries = table((await get('/ledger/entries.csv', office)).text);
    expect(ownEntries.rows.map((r) => [r.centerId, r.entryId, r.operatorName, r.status])).toEqual([
      [south, 'g2', '长春创新运营有限公司', 'applying'],
    ]);
    const operator = await registry.token({ role: 'operator', centerId: north });
    const own = table((await get('/ledger.csv?supportYear=1', operator)).text);
    expect(cells(own.rows)).toEqual([`${north} 1 长春新运营有限公司 recognised`]);
  });

  // Last: its center adds support years the listing tests above count.
  it('sums rejected spending beyond what a bigint holds, and the partition goes on', async () => {
    // Rejections cost the operator nothing: ten of the largest amount a ledger entry takes.
    const center = 'center-rejecting';
    const huge = '999999999999999999';
    await publish([
      finance.accountOpened(center, '南关区', '2026-03-10'),
      ...Array.from({ length: 10 }, (_, i) => finance.rejected(center, `big-${i}`, '赞助', huge)),
      finance.grant(center, 'g-after', 1, '100'),
    ]);
    const bureau = await registry.token({ role: 'city_bureau' });
    await eventually(async () => {
      const res = await get(`/ledger/${center}`, bureau);
      expect(res.status).toBe(200);
      expect(res.body.years[0]).toMatchObject({ rejected: '9999999999999999990', granted: '100' });
    });
  });
});
