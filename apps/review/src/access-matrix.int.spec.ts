import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AccessColumn, AccessRow, parseAccessTable, runAccessMatrix } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import {
  answerWithoutId,
  applicationFacts,
  eventually,
  expectAnsweredAsUnknown,
  repoRoot,
  requiredMaterials,
  ServiceUnderTest,
  startService,
  testEnvironment,
  uniqueName,
} from '@nqpf/testing';
import { loadIntakeConfig } from '../../intake/src/config';
import { IntakeModule } from '../../intake/src/intake.module';
import { loadReviewConfig } from './config';
import { ReviewModule } from './review.module';
import { shanghaiToday } from '@nqpf/rules';

const facts = applicationFacts;
const materials = requiredMaterials('c'.repeat(64));

/** docs/security.md's review rows replayed against the running service, plus object-level (BOLA) checks. */
describe('review access matrix (docs/security.md)', () => {
  const environment = testEnvironment(uniqueName('review-matrix'));
  let intake: ServiceUnderTest;
  let review: ServiceUnderTest;
  const http = () => request(review.app.getHttpServer());
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  // Candidacy A is in 南关区 (the matrix's district office) with the matrix's expert assigned; B is in 高新区.
  let candidacyA: string;
  let candidacyB: string;
  const expert = 'matrix-expert'; // the runner's expert token subject

  async function acceptedApplication(callId: string, district: string): Promise<string> {
    const id = uuidv7();
    const intakeHttp = () => request(intake.app.getHttpServer());
    const operator = await intake.token({ role: 'operator', centerId: id, sub: `op-${id}` });
    const office = await intake.token({ role: 'district_office', district });
    const bureau = await intake.token({ role: 'city_bureau' });
    await intakeHttp()
      .post('/applications')
      .set(as(operator))
      .send({ callId, district, facts: facts('5000.00'), materials })
      .expect(201);
    await intakeHttp().post(`/applications/${id}/submit`).set(as(operator)).expect(200);
    await intakeHttp().post(`/applications/${id}/endorse`).set(as(office)).send({}).expect(200);
    await intakeHttp().post(`/applications/${id}/accept`).set(as(bureau)).expect(200);
    return id;
  }

  const candidacy = async (id: string) =>
    http()
      .get(`/candidacies/${id}`)
      .set(as(await review.token({ role: 'city_bureau' })))
      .expect(200);

  beforeAll(async () => {
    intake = await startService('intake', environment, (env) =>
      IntakeModule.forRoot(loadIntakeConfig(env), env),
    );
    review = await startService('review', environment, (env) =>
      ReviewModule.forRoot(loadReviewConfig({ ...env, REVIEW_DEADLINE_INTERVAL_MS: '0' }), env),
    );
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const opened = await request(intake.app.getHttpServer())
      .post('/calls')
      .set(as(await intake.token({ role: 'city_bureau' })))
      .send({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` })
      .expect(201);
    candidacyA = await acceptedApplication(opened.body.callId, '南关区');
    candidacyB = await acceptedApplication(opened.body.callId, '高新区');
    await eventually(() => candidacy(candidacyA), 90_000);
    await eventually(() => candidacy(candidacyB), 90_000);
    const bureau = await review.token({ role: 'city_bureau' });
    await http()
      .post(`/experts/${expert}`)
      .set(as(bureau))
      .send({ name: '李四', specialties: ['技术转移'] })
      .expect(201);
    await http()
      .post(`/candidacies/${candidacyA}/experts`)
      .set(as(bureau))
      .send({ expertId: expert })
      .expect(200);
  }, 180_000);
  afterAll(async () => {
    await review?.close();
    await intake?.close();
  });

  const params = (_row: AccessRow, _role: AccessColumn, which: 'own' | 'other') => ({
    id: which === 'own' ? candidacyA : candidacyB,
    expertId: which === 'own' ? expert : 'expert-other',
  });
  /** Valid bodies, so the handler (and its object check) runs instead of a 400 from validation. */
  const bodies: Record<string, object> = {
    '/experts/:expertId/conflicts': { institution: { name: '无关单位' }, reason: '兼职' },
    '/candidacies/:id/reviews': { score: 90, opinion: '良好' },
    '/candidacies/:id/site-inspections': { inspectedOn: '2026-01-20', satisfactory: true, finding: '一致' },
    '/candidacies/:id/reviews/revision': { score: 90, opinion: '良好', reason: '更正' },
    '/candidacies/:id/site-inspections/revision': {
      inspectedOn: '2026-01-20',
      satisfactory: true,
      finding: '一致',
      reason: '更正',
    },
    '/candidacies/:id/agreement': { reason: '同意签订' },
  };
  const body = (row: AccessRow) => bodies[row.path] ?? {};

  it('answers every review route as the table says, own objects passing and others answered as unknown', async () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(repoRoot, 'docs/security.md'), 'utf8'));
    const checks = await runAccessMatrix(review.app, rows, {
      service: 'review',
      devIdentity: { seed: environment.env.AUTH_DEV_IDENTITY_SEED! },
      actors: { operator: { centerId: candidacyA } },
      params,
      body,
    });
    expect(checks.filter((c) => c.variant === 'other' && c.expected === 404).length).toBeGreaterThan(0);
    // An expert declaring another's conflicts is refused by the token alone (403, `self`).
    expect(
      checks.filter((c) => c.row.path === '/experts/:expertId/conflicts' && c.variant === 'other'),
    ).toEqual([expect.objectContaining({ column: 'expert', expected: 403, status: 403 })]);
  }, 120_000);

  it('answers an expert not assigned to B recording a review or inspection on B as not found, and B is unchanged', async () => {
    const before = await candidacy(candidacyB);
    const token = await review.token({ role: 'expert', sub: expert });
    await http()
      .post(`/candidacies/${candidacyB}/reviews`)
      .set(as(token))
      .send(bodies['/candidacies/:id/reviews'])
      .expect(404);
    await http()
      .post(`/candidacies/${candidacyB}/site-inspections`)
      .set(as(token))
      .send(bodies['/candidacies/:id/site-inspections'])
      .expect(404);
    await http().get(`/candidacies/${candidacyB}`).set(as(token)).expect(404);
    expect((await candidacy(candidacyB)).body).toEqual(before.body);
  });

  it('answers 404 for a command on a candidacy or an expert that does not exist, and stores nothing', async () => {
    const unknown = uuidv7();
    const refused = await http()
      .post(`/candidacies/${unknown}/experts`)
      .set(as(await review.token({ role: 'city_bureau' })))
      .send({ expertId: expert })
      .expect(404);
    expect(refused.body).toMatchObject({ error: 'not_found', message: 'candidacy not found' });
    const unregistered = 'matrix-expert-unregistered';
    await http()
      .post(`/experts/${unregistered}/conflicts`)
      .set(as(await review.token({ role: 'expert', sub: unregistered })))
      .send(bodies['/experts/:expertId/conflicts'])
      .expect(404);
    const stored = await review.db.pool.query('select 1 from event_store.events where stream_id like $1', [
      `%${unknown}%`,
    ]);
    expect(stored.rowCount).toBe(0);
  });

  it('answers operator A and a 南关区 office on 高新区 candidacy B as not found', async () => {
    const before = await candidacy(candidacyB);
    const operatorA = await review.token({ role: 'operator', centerId: candidacyA });
    await http().get(`/candidacies/${candidacyB}`).set(as(operatorA)).expect(404);
    const nanguan = await review.token({ role: 'district_office', district: '南关区' });
    await http()
      .post(`/candidacies/${candidacyB}/agreement`)
      .set(as(nanguan))
      .send({ reason: '同意' })
      .expect(404);
    await http().get(`/candidacies/${candidacyB}`).set(as(nanguan)).expect(404);
    expect((await candidacy(candidacyB)).body).toEqual(before.body);
  });

  it('answers a candidacy outside the scope exactly as an id that names nothing, read or command', async () => {
    const unknown = uuidv7();
    const nanguan = await review.token({ role: 'district_office', district: '南关区' });
    const operatorA = await review.token({ role: 'operator', centerId: candidacyA });
    const expertA = await review.token({ role: 'expert', sub: expert });
    const same = (send: (id: string) => request.Test) => expectAnsweredAsUnknown(candidacyB, send);
    for (const token of [nanguan, operatorA, expertA])
      await same((id) => http().get(`/candidacies/${id}`).set(as(token)));
    await same((id) =>
      http()
        .post(`/candidacies/${id}/agreement`)
        .set({ ...as(nanguan), 'idempotency-key': `probe-${id}` })
        .send({ reason: '同意' }),
    );
    for (const [route, body] of Object.entries(bodies).filter(([r]) => r.startsWith('/candidacies/')))
      if (!route.endsWith('/agreement'))
        await same((id) => http().post(route.replace(':id', id)).set(as(expertA)).send(body));
    expect(
      (await answerWithoutId(unknown, (id) => http().get(`/candidacies/${id}`).set(as(nanguan)))).body,
    ).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'candidacy :id not found',
      what: 'candidacy',
      id: ':id',
    });
  });

  it('answers an expert assigned to A as not found once they declare a conflict with its operator, and A is unchanged', async () => {
    const bureau = await review.token({ role: 'city_bureau' });
    const conflicted = 'matrix-expert-conflicted';
    const token = await review.token({ role: 'expert', sub: conflicted });
    await http()
      .post(`/experts/${conflicted}`)
      .set(as(bureau))
      .send({ name: '王五', specialties: [] })
      .expect(201);
    await http()
      .post(`/candidacies/${candidacyA}/experts`)
      .set(as(bureau))
      .send({ expertId: conflicted })
      .expect(200);
    await http().get(`/candidacies/${candidacyA}`).set(as(token)).expect(200);
    await http()
      .post(`/experts/${conflicted}/conflicts`)
      .set(as(token))
      .send({ institution: facts('5000.00').operator, reason: '近三年在该运营单位任职' })
      .expect(200);
    const before = await candidacy(candidacyA);
    await http().get(`/candidacies/${candidacyA}`).set(as(token)).expect(404);
    await http()
      .post(`/candidacies/${candidacyA}/reviews`)
      .set(as(token))
      .send(bodies['/candidacies/:id/reviews'])
      .expect(404);
    await http()
      .post(`/candidacies/${candidacyA}/site-inspections`)
      .set(as(token))
      .send(bodies['/candidacies/:id/site-inspections'])
      .expect(404);
    expect((await http().get('/experts/me/assignments').set(as(token)).expect(200)).body.total).toBe(0);
    expect((await candidacy(candidacyA)).body).toEqual(before.body);
    // The expert reads back what they declared; one not registered is no expert here.
    const me = (await http().get('/experts/me').set(as(token)).expect(200)).body;
    expect(me).toMatchObject({
      expertId: conflicted,
      name: '王五',
      conflicts: [{ name: facts('5000.00').operator.name }],
    });
    const stranger = await review.token({ role: 'expert', sub: 'matrix-expert-unregistered' });
    await http().get('/experts/me').set(as(stranger)).expect(404);
  });

  it('shows who is on the panel to the bureau and auditors; an expert sees themself, the center neither', async () => {
    const panelAs = async (token: string) => {
      const one = (await http().get(`/candidacies/${candidacyA}`).set(as(token)).expect(200)).body;
      const listed = (await http().get('/candidacies').set(as(token)).expect(200)).body.items;
      const row = listed.find((i: { applicationId: string }) => i.applicationId === candidacyA);
      expect(row.experts).toEqual(one.experts);
      return { experts: one.experts, reviewers: one.reviews.map((r: { expertId: string }) => r.expertId) };
    };
    const bureauView = await panelAs(await review.token({ role: 'city_bureau' }));
    expect(bureauView.experts).toContain(expert);
    const withheld = bureauView.experts.map(() => '(withheld)');
    for (const token of [
      await review.token({ role: 'operator', centerId: candidacyA }),
      await review.token({ role: 'district_office', district: '南关区' }),
    ]) {
      const seen = await panelAs(token);
      expect(seen.experts).toEqual(withheld);
      expect(seen.reviewers.every((id: string) => id === '(withheld)')).toBe(true);
    }
    const asExpert = await review.token({ role: 'expert', sub: expert });
    const own = await panelAs(asExpert);
    expect(own.experts).toEqual(bureauView.experts.map((id: string) => (id === expert ? id : '(withheld)')));
    expect(own.experts).toContain('(withheld)');
    // Their own assignments list too: it used to show every panel member.
    const assignments = (await http().get('/experts/me/assignments').set(as(asExpert)).expect(200)).body;
    expect(assignments.items.map((i: { experts: string[] }) => i.experts)).toEqual([own.experts]);
  });

  it('lists only in-scope candidacies: a 南关区 office, operator A and the expert assigned to A never see B', async () => {
    const idsOf = (body: { items: { applicationId: string }[] }) => body.items.map((i) => i.applicationId);
    const list = async (token: string, url = '/candidacies') =>
      idsOf((await http().get(url).set(as(token)).expect(200)).body);
    const nanguan = await review.token({ role: 'district_office', district: '南关区' });
    expect(await list(nanguan)).toEqual([candidacyA]);
    expect(await list(nanguan, '/candidacies?district=高新区')).toEqual([]);
    expect(await list(await review.token({ role: 'operator', centerId: candidacyA }))).toEqual([candidacyA]);
    const assigned = await review.token({ role: 'expert', sub: expert });
    expect(await list(assigned)).toEqual([candidacyA]);
    expect(await list(assigned, '/experts/me/assignments')).toEqual([candidacyA]);
    expect((await list(await review.token({ role: 'city_bureau' }))).sort()).toEqual(
      [candidacyA, candidacyB].sort(),
    );
  });
});
