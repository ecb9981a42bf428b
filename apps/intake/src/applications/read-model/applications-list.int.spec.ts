import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { uuidv7 } from '@nqpf/contracts';
import { ManualClock } from '@nqpf/platform';
import { startService, ServiceUnderTest, testEnvironment, uniqueName } from '@nqpf/testing';
import { loadIntakeConfig } from '../../config';
import { IntakeModule } from '../../intake.module';
import { ApplicationsProjection } from './applications.projection';

const facts = JSON.parse(
  readFileSync(join(__dirname, '../../../../../libs/rules/examples/eligible-application.json'), 'utf8'),
) as Record<string, unknown>;
const materials = ['application_form', 'construction_plan', 'co_construction_agreement'].map((kind) => ({
  kind,
  fileName: `${kind}.pdf`,
  mediaType: 'application/pdf',
  sizeBytes: 2048,
  sha256: 'c'.repeat(64),
}));
const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('GET /applications: each actor lists what its scope allows, filtered and paged in SQL', () => {
  const environment = testEnvironment(uniqueName('intake-list'));
  const clock = new ManualClock(new Date('2026-03-02T09:00:00+08:00'));
  let intake: ServiceUnderTest;
  let http: () => ReturnType<typeof request>;
  let bureau: string;
  let auditor: string;
  let nanguan: string;
  let chaoyang: string;
  let callId: string;
  const ids: Record<string, { id: string; token: string }> = {};

  async function apply(name: string, district: string, submit: boolean) {
    const id = uuidv7();
    const token = await intake.token({ role: 'operator', centerId: id, sub: `op-${id}` });
    await http()
      .post('/applications')
      .set(as(token))
      .send({ callId, district, facts, materials })
      .expect(201);
    if (submit) await http().post(`/applications/${id}/submit`).set(as(token)).expect(200);
    ids[name] = { id, token };
  }

  beforeAll(async () => {
    intake = await startService('intake', environment, (env) =>
      IntakeModule.forRoot(loadIntakeConfig(env), env, { clock }),
    );
    http = () => request(intake.app.getHttpServer());
    bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-1' });
    auditor = await intake.token({ role: 'auditor', sub: 'auditor-1' });
    nanguan = await intake.token({ role: 'district_office', district: '南关区', sub: 'nanguan-1' });
    chaoyang = await intake.token({ role: 'district_office', district: '朝阳区', sub: 'chaoyang-1' });
    const opened = await http()
      .post('/calls')
      .set(as(bureau))
      .send({ year: 2026, opensOn: '2026-03-01', closesOn: '2026-04-30' })
      .expect(201);
    callId = opened.body.callId;
    await apply('nanguanSubmitted', '南关区', true);
    await apply('nanguanDraft', '南关区', false);
    await apply('chaoyangSubmitted', '朝阳区', true);
    await http()
      .post(`/applications/${ids.chaoyangSubmitted.id}/endorse`)
      .set(as(chaoyang))
      .send({})
      .expect(200);
  });

  afterAll(async () => {
    await intake?.close();
  });

  const list = async (token: string, query = '') => {
    const res = await http().get(`/applications${query}`).set(as(token)).expect(200);
    return res.body as {
      total: number;
      items: { applicationId: string; status: string; updatedAt: string }[];
    };
  };
  const idsOf = (body: { items: { applicationId: string }[] }) =>
    body.items.map((i) => i.applicationId).sort();

  it("gives a district office its district's queue and never another district's applications", async () => {
    const queue = await list(nanguan, '?status=submitted');
    expect(queue.items).toEqual([
      expect.objectContaining({
        applicationId: ids.nanguanSubmitted.id,
        status: 'submitted',
        district: '南关区',
      }),
    ]);
    expect(idsOf(await list(nanguan))).toEqual([ids.nanguanDraft.id, ids.nanguanSubmitted.id].sort());
    const asked = await list(nanguan, `?district=${encodeURIComponent('朝阳区')}`);
    expect(asked).toMatchObject({ total: 0, items: [] });
    expect(idsOf(await list(chaoyang))).toEqual([ids.chaoyangSubmitted.id]);
  });

  it('gives an operator only its own center', async () => {
    expect(idsOf(await list(ids.nanguanDraft.token))).toEqual([ids.nanguanDraft.id]);
  });

  it('gives the bureau and auditors every application, filtered by status and district', async () => {
    expect((await list(bureau)).total).toBe(3);
    expect(idsOf(await list(auditor, '?status=endorsed'))).toEqual([ids.chaoyangSubmitted.id]);
    expect(idsOf(await list(bureau, '?status=submitted,endorsed'))).toEqual(
      [ids.nanguanSubmitted.id, ids.chaoyangSubmitted.id].sort(),
    );
    expect(idsOf(await list(bureau, `?district=${encodeURIComponent('南关区')}&status=draft`))).toEqual([
      ids.nanguanDraft.id,
    ]);
    // A misspelt district is a 400 naming it, not an empty page; an empty one is no filter.
    const typo = await http()
      .get(`/applications?district=${encodeURIComponent('南关')}`)
      .set(as(bureau))
      .expect(400);
    expect(typo.body).toMatchObject({ error: 'invalid_input', field: 'district' });
    expect(typo.body.message).toMatch(/^district: "南关" is neither a district-level unit/);
    expect((await list(bureau, '?district=')).total).toBe(3);
  });

  it('pages with limit and offset, reporting the total, and refuses a limit above 200', async () => {
    const first = await list(bureau, '?limit=2&offset=0');
    const second = await list(bureau, '?limit=2&offset=2');
    expect(first).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(new Set([...idsOf(first), ...idsOf(second)]).size).toBe(3);
    expect((await list(bureau, '?limit=2&offset=5')).total).toBe(3);
    const refused = await http().get('/applications?limit=201').set(as(bureau)).expect(400);
    expect(JSON.stringify(refused.body)).toContain('limit');
    const far = await http().get('/applications?offset=1e20').set(as(bureau)).expect(400);
    expect(far.body.message).toContain('offset');
    await http().get('/applications?status=approved').set(as(bureau)).expect(400);
    // Digits only, as the registry reads them: '0x10' is no page size.
    await http().get('/applications?limit=0x10').set(as(bureau)).expect(400);
    await http().get('/applications?offset=1e1').set(as(bureau)).expect(400);
  });

  it('rebuilds a missing or stale row from the event store on start', async () => {
    await intake.db.pool.query(`delete from intake.applications where application_id = $1`, [
      ids.nanguanSubmitted.id,
    ]);
    await intake.db.pool.query(
      `update intake.applications set status = 'draft', version = 1 where application_id = $1`,
      [ids.chaoyangSubmitted.id],
    );
    const before = await list(bureau);
    await intake.app.get(ApplicationsProjection).onApplicationBootstrap();
    const all = await list(bureau);
    // A repaired row keeps its last change's time (the list's order), not the repair's.
    const lastChange = await intake.db.pool.query(
      `select max(occurred_at) as at from event_store.events where stream_id = $1`,
      [`application-${ids.nanguanSubmitted.id}`],
    );
    const repaired = all.items.find((i) => i.applicationId === ids.nanguanSubmitted.id)!;
    expect(repaired.updatedAt).toBe((lastChange.rows[0].at as Date).toISOString());
    expect(before.items.some((i) => i.applicationId === ids.nanguanSubmitted.id)).toBe(false);
    expect(all.items.map((i) => [i.applicationId, i.status]).sort()).toEqual(
      [
        [ids.nanguanSubmitted.id, 'submitted'],
        [ids.nanguanDraft.id, 'draft'],
        [ids.chaoyangSubmitted.id, 'endorsed'],
      ].sort(),
    );
  });
});
