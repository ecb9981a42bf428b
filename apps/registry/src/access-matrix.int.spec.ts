import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AccessColumn, AccessRow, parseAccessTable, runAccessMatrix } from '@nqpf/auth';
import { EventEnvelope, serviceTopic, ServiceName, uuidv7 } from '@nqpf/contracts';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import {
  eventually,
  repoRoot,
  ServiceUnderTest,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { loadRegistryConfig } from './config';
import { RegistryModule } from './registry.module';
import { accountOpened, intakeStory, reviewStory } from './standing/center-story.fixture';

/** docs/security.md's registry rows replayed against the running service; lists scoped per district. */
describe('registry access matrix (docs/security.md)', () => {
  const environment = testEnvironment(uniqueName('registry-matrix'));
  const publisher = new KafkaEventPublisher(createKafka('registry-matrix-test', testInfra().kafkaBrokers));
  const publish = (service: ServiceName, events: EventEnvelope[]) =>
    publisher.publish(serviceTopic(service, environment.topicPrefix), events.map(toWire));
  let registry: ServiceUnderTest;
  // Center A is in 南关区 (the matrix's district office), center B in 高新区.
  const centerA = `center-${uuidv7()}`;
  const centerB = `center-${uuidv7()}`;
  const get = (url: string, token: string) =>
    request(registry.app.getHttpServer()).get(url).set('authorization', `Bearer ${token}`);
  const ids = (body: { items: { centerId: string }[] }) => body.items.map((s) => s.centerId).sort();

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
    await publish('review', reviewStory(centerA, '南关区', '2026-03-10'));
    await publish('intake', intakeStory(centerA, '南关区'));
    await publish('intake', intakeStory(centerB, '高新区'));
    await publish('finance', [accountOpened(centerA, '南关区', '2026-03-10')]);
    await publish('finance', [accountOpened(centerB, '高新区', '2026-03-10')]);
    const bureau = await registry.token({ role: 'city_bureau' });
    await eventually(async () => {
      const res = await get('/standing', bureau);
      expect(ids(res.body)).toEqual([centerA, centerB].sort());
      const ledger = await get('/ledger', bureau);
      expect(new Set(ids(ledger.body))).toEqual(new Set([centerA, centerB]));
    }, 90_000);
  }, 180_000);
  afterAll(async () => {
    await publisher.disconnect();
    await registry?.close();
  });

  const params = (_row: AccessRow, _role: AccessColumn, which: 'own' | 'other') => ({
    centerId: which === 'own' ? centerA : centerB,
  });

  it('answers every registry route as the table says', async () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(repoRoot, 'docs/security.md'), 'utf8'));
    const checks = await runAccessMatrix(registry.app, rows, {
      service: 'registry',
      devIdentity: { seed: environment.env.AUTH_DEV_IDENTITY_SEED! },
      actors: { operator: { centerId: centerA } },
      params,
    });
    expect(checks.some((c) => c.row.path === '/standing/:centerId')).toBe(true);
    expect(checks.some((c) => c.row.path === '/audit/centers')).toBe(true);
    expect(checks.some((c) => c.row.path === '/standing/summary')).toBe(true);
    expect(checks.some((c) => c.row.path === '/ledger/summary')).toBe(true);
  }, 120_000);

  it("never shows a 南关区 office 高新区 center B's lines in the city-wide audit trail, even when it asks for 高新区", async () => {
    const types = 'types=intake.application-submitted';
    const centers = (body: { events: { centerId: string }[] }) => [
      ...new Set(body.events.map((e) => e.centerId)),
    ];
    const auditor = await registry.token({ role: 'auditor' });
    await eventually(async () =>
      expect(centers((await get(`/audit/centers?${types}`, auditor).expect(200)).body).sort()).toEqual(
        [centerA, centerB].sort(),
      ),
    );
    const nanguan = await registry.token({ role: 'district_office', district: '南关区' });
    expect(centers((await get(`/audit/centers?${types}`, nanguan).expect(200)).body)).toEqual([centerA]);
    expect((await get(`/audit/centers?${types}&district=高新区`, nanguan).expect(200)).body.events).toEqual(
      [],
    );
  });

  it('never lists another district to a 南关区 office, even when it asks for that district', async () => {
    const nanguan = await registry.token({ role: 'district_office', district: '南关区' });
    expect(ids((await get('/standing', nanguan).expect(200)).body)).toEqual([centerA]);
    expect(ids((await get('/standing?district=高新区', nanguan).expect(200)).body)).toEqual([]);
    const csv = await get('/standing.csv', nanguan).expect(200);
    expect(csv.text).toContain(centerA);
    expect(csv.text).not.toContain(centerB);
    // Out of scope reads as absent (404), never as the other district's row.
    await get(`/standing/${centerB}`, nanguan).expect(404);
    await get(`/standing/${centerA}`, nanguan).expect(200);
  });

  it('shows an operator only its own center, as list, item and CSV', async () => {
    const operatorA = await registry.token({ role: 'operator', centerId: centerA });
    expect(ids((await get('/standing', operatorA).expect(200)).body)).toEqual([centerA]);
    const csv = await get('/standing.csv', operatorA).expect(200);
    expect(csv.text).not.toContain(centerB);
    await get(`/standing/${centerB}`, operatorA).expect(404);
  });

  it('never shows a 南关区 office or operator A 高新区 center B in the as-of standing', async () => {
    for (const token of [
      await registry.token({ role: 'district_office', district: '南关区' }),
      await registry.token({ role: 'operator', centerId: centerA }),
    ]) {
      const res = await get('/standing/as-of?at=9998-12-31T00:00:00Z', token).expect(200);
      expect(ids(res.body)).toEqual([centerA]);
    }
  });

  it('never counts or sums 高新区 center B for a 南关区 office or operator A, even when asked for 高新区', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    // The bureau's figures hold both centers, so the scoped ones below leave B out, not miss it.
    expect((await get('/standing/summary', bureau).expect(200)).body.total).toBe(2);
    const cityWide = (await get('/ledger/summary?groupBy=district', bureau).expect(200)).body;
    expect(cityWide.groups.map((g: { district: string }) => g.district).sort()).toEqual(['南关区', '高新区']);
    for (const token of [
      await registry.token({ role: 'district_office', district: '南关区' }),
      await registry.token({ role: 'operator', centerId: centerA }),
    ]) {
      expect((await get('/standing/summary', token).expect(200)).body).toEqual({
        groupBy: ['district'],
        total: 1,
        groups: [{ district: '南关区', count: 1 }],
      });
      expect((await get('/standing/summary?district=高新区', token).expect(200)).body).toMatchObject({
        total: 0,
        groups: [],
      });
      const ledger = (await get('/ledger/summary?groupBy=district', token).expect(200)).body;
      expect(ledger.groups.map((g: { district: string }) => g.district)).toEqual(['南关区']);
      expect(ledger.years).toBe(
        cityWide.groups.find((g: { district: string }) => g.district === '南关区').years,
      );
      expect((await get('/ledger/summary?district=高新区', token).expect(200)).body).toMatchObject({
        years: 0,
        groups: [],
      });
    }
  });

  it('never shows a 南关区 office or operator A the ledger of 高新区 center B', async () => {
    for (const token of [
      await registry.token({ role: 'district_office', district: '南关区' }),
      await registry.token({ role: 'operator', centerId: centerA }),
    ]) {
      expect(new Set(ids((await get('/ledger', token).expect(200)).body))).toEqual(new Set([centerA]));
      expect((await get('/ledger.csv', token).expect(200)).text).not.toContain(centerB);
      await get(`/ledger/${centerB}`, token).expect(404);
      await get(`/ledger/${centerA}`, token).expect(200);
    }
  });
});
