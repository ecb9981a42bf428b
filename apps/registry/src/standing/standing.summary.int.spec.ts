import request from 'supertest';
import { EventEnvelope, serviceTopic, ServiceName } from '@nqpf/contracts';
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
import { centerRevoked, gradeEvent, intakeStory, reviewStory } from './center-story.fixture';
import { conforming } from '../read-api/testing/answers';

type Item = Record<'centerId' | 'district' | 'phase' | 'status' | 'latestGrade', string | null>;
type Group = Record<string, string | number | null>;
type Key = 'district' | 'phase' | 'status' | 'latestGrade';

/** GET /standing/summary counts what GET /standing lists, with its filters and in its scope. */
describe('standing summary on PostgreSQL and Kafka', () => {
  const environment = testEnvironment(uniqueName('standing-summary'));
  const publisher = new KafkaEventPublisher(createKafka('standing-summary-test', testInfra().kafkaBrokers));
  let registry: ServiceUnderTest;
  const publish = (service: ServiceName, events: EventEnvelope[]) =>
    publisher.publish(serviceTopic(service, environment.topicPrefix), events.map(toWire));
  const get = async (path: string, token: string) =>
    conforming(await request(registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`));

  // 南关区: two recognised (优秀, 不合格), one applying, one revoked; 宽城区: one recognised (合格), one
  // applying; 高新区: one applying.
  const recognised: [string, string, string][] = [
    ['nan-1', '南关区', '优秀'],
    ['nan-2', '南关区', '不合格'],
    ['kuan-1', '宽城区', '合格'],
  ];
  const applying: [string, string][] = [
    ['nan-3', '南关区'],
    ['kuan-2', '宽城区'],
    ['gao-1', '高新区'],
  ];
  const revoked = 'nan-4';
  const centers = 7;

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
    for (const [id, district, grade] of recognised) {
      await publish('intake', intakeStory(id, district));
      await publish('review', reviewStory(id, district, '2026-03-10'));
      await publish('assessment', [gradeEvent(id, 2026, grade)]);
    }
    for (const [id, district] of applying) await publish('intake', intakeStory(id, district));
    await publish('intake', intakeStory(revoked, '南关区'));
    await publish('review', reviewStory(revoked, '南关区', '2026-03-10'));
    await publish('assessment', [centerRevoked(revoked, '2027-03-01')]);
    const bureau = await registry.token({ role: 'city_bureau' });
    await eventually(async () => {
      const res = await get('/standing?limit=200', bureau);
      expect(res.body.total).toBe(centers);
      expect(res.body.items.filter((s: Item) => s.latestGrade !== null)).toHaveLength(3);
      expect(res.body.items.find((s: Item) => s.centerId === revoked).status).toBe('revoked');
    }, 90_000);
  }, 180_000);

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.close();
  });

  /** Every row GET /standing lists with this query (pages of 200), as its items. */
  const listed = async (query: string, token: string): Promise<Item[]> => {
    const items: Item[] = [];
    for (let offset = 0; ; offset += 200) {
      const res = await get(`/standing?${query}&limit=200&offset=${offset}`, token);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      if (items.length >= res.body.total) return items;
    }
  };

  /** The list's items counted per group, in the summary's form (groups in no particular order). */
  const grouped = (items: Item[], by: readonly Key[]): Group[] => {
    const counts = new Map<string, Group>();
    for (const item of items) {
      const key = JSON.stringify(by.map((k) => item[k]));
      const group = counts.get(key) ?? { ...Object.fromEntries(by.map((k) => [k, item[k]])), count: 0 };
      group.count = (group.count as number) + 1;
      counts.set(key, group);
    }
    return [...counts.values()];
  };
  const unordered = (groups: Group[]) => groups.map((g) => JSON.stringify(g)).sort();

  it('counts exactly what each role lists, per group, with each filter of the list: the bureau, a district office, an operator, finance, an auditor', async () => {
    const actors = {
      bureau: await registry.token({ role: 'city_bureau' }),
      nanguan: await registry.token({ role: 'district_office', district: '南关区' }),
      kuancheng: await registry.token({ role: 'district_office', district: '宽城区' }),
      operator: await registry.token({ role: 'operator', centerId: 'nan-2' }),
      finance: await registry.token({ role: 'finance_officer' }),
      auditor: await registry.token({ role: 'auditor' }),
    };
    const filters = [
      '',
      'status=recognised',
      'district=南关区',
      'district=宽城区',
      'grade=不合格&year=2026',
      'unassessed=2027',
      'phase=accepted',
    ];
    const groupings: Key[][] = [
      ['district'],
      ['district', 'status'],
      ['phase'],
      ['status', 'latestGrade'],
      ['latestGrade', 'district'],
    ];
    const totals: Record<string, number> = {};
    for (const [name, token] of Object.entries(actors))
      for (const filter of filters) {
        const items = await listed(filter, token);
        for (const by of groupings) {
          const res = await get(`/standing/summary?${filter}&groupBy=${by.join(',')}`, token);
          expect({ name, filter, by, status: res.status }).toEqual({ name, filter, by, status: 200 });
          expect({ name, filter, by, body: { ...res.body, groups: unordered(res.body.groups) } }).toEqual({
            name,
            filter,
            by,
            body: { groupBy: by, total: items.length, groups: unordered(grouped(items, by)) },
          });
        }
        totals[`${name} ${filter}`] = items.length;
      }
    // The scope narrows them: a district office its district (another asked for: none), an operator its center.
    expect(totals).toMatchObject({
      'bureau ': centers,
      'nanguan ': 4,
      'nanguan district=宽城区': 0,
      'kuancheng ': 2,
      'operator ': 1,
      'operator district=宽城区': 0,
      'finance ': centers,
      'auditor status=recognised': 3,
    });
  }, 120_000);

  it('groups by district when not told, in the order the list sorts by each key, nulls last', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const byDistrict = await get('/standing/summary', bureau);
    expect(byDistrict.body).toMatchObject({ groupBy: ['district'], total: centers });
    expect(byDistrict.body.groups).toHaveLength(3);
    expect(byDistrict.body.groups.find((g: Group) => g.district === '南关区')).toEqual({
      district: '南关区',
      count: 4,
    });
    const orderOf = async (key: Key, sort: string) => {
      const items = await listed(`sort=${sort}`, bureau);
      return [...new Set(items.map((s) => s[key]))];
    };
    const sequence = async (key: Key) =>
      (await get(`/standing/summary?groupBy=${key}`, bureau)).body.groups.map((g: Group) => g[key]);
    expect(await sequence('district')).toEqual(await orderOf('district', 'district'));
    // By lifecycle and by rank (不合格 first, no grade last), as ?sort=phase and ?sort=grade order them.
    expect(await sequence('phase')).toEqual(['accepted', 'recognised', 'revoked']);
    expect(await sequence('phase')).toEqual(await orderOf('phase', 'phase'));
    expect(await sequence('latestGrade')).toEqual(['不合格', '合格', '优秀', null]);
    // Two keys: by the first, then the second within it.
    const two = await get('/standing/summary?groupBy=district,status&district=南关区', bureau);
    expect(two.body).toEqual({
      groupBy: ['district', 'status'],
      total: 4,
      groups: [
        { district: '南关区', status: 'applying', count: 1 },
        { district: '南关区', status: 'recognised', count: 2 },
        { district: '南关区', status: 'revoked', count: 1 },
      ],
    });
  });

  it('answers from one SQL statement (one snapshot)', async () => {
    const pool = registry.app.get<Pool>(PG_POOL);
    const bureau = await registry.token({ role: 'city_bureau' });
    const spy = jest.spyOn(pool, 'query');
    try {
      expect((await get('/standing/summary?groupBy=status,latestGrade', bureau)).status).toBe(200);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a bad groupBy naming the keys it takes, and the filters as the list does; an expert 403', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const refusals = {
      '/standing/summary?groupBy=grade':
        'groupBy: one or two of district, phase, status, latestGrade, comma-separated; "grade" is not one',
      '/standing/summary?groupBy=district,phase,status': 'groupBy: at most two of',
      '/standing/summary?groupBy=status,status': 'groupBy: "status" is given twice',
      '/standing/summary?groupBy=district&groupBy=status': 'groupBy: give it once',
      '/standing/summary?sort=district': 'sort: not a parameter of this route',
      '/standing/summary?limit=5': 'limit: not a parameter of this route',
      '/standing/summary?status=operating': 'status: must be one of applying, rejected, recognised, revoked',
      '/standing/summary?unassessed=27': 'unassessed: must be an integer from 2000 to 2100',
      '/standing/summary?district=南关去': 'district: "南关去" is neither a district-level unit (A3',
    };
    await expectRefusedAsInvalid(refusals, (path) => get(path, bureau));
    const expert = await registry.token({ role: 'expert' });
    expect((await get('/standing/summary', expert)).status).toBe(403);
  });
});
