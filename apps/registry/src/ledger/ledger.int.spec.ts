import request from 'supertest';
import { EventEnvelope, serviceTopic } from '@nqpf/contracts';
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
import { finance } from './finance-story.fixture';

/** Finance's events published straight to its topic reach the ledger API, scoped per actor, once each. */
describe('ledger read model on PostgreSQL and Kafka', () => {
  const environment = testEnvironment(uniqueName('ledger'));
  const publisher = new KafkaEventPublisher(createKafka('ledger-test', testInfra().kafkaBrokers));
  let registry: ServiceUnderTest;
  const publish = (events: EventEnvelope[]) =>
    publisher.publish(serviceTopic('finance', environment.topicPrefix), events.map(toWire));

  const north = 'center-north';
  const south = 'center-south';

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
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
    request(registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);

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
    expect(all.items[0]).toMatchObject({ centerId: north, supportYear: 1, granted: '150000000' });
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
    expect((await get(`/ledger/${north}`, district)).status).toBe(404);
    const operator = await registry.token({ role: 'operator', centerId: north });
    expect((await get(`/ledger/${north}`, operator)).status).toBe(200);
    expect((await get(`/ledger/${south}`, operator)).status).toBe(404);
    const csv = await get('/ledger.csv', operator);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toContain('granted');
    expect(csv.text).toContain(north);
    expect(csv.text).not.toContain(south);
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
    const bad = await get('/ledger/as-of?at=2026-03-09', bureau);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('at:');
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
