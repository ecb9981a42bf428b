import request from 'supertest';
import { CommandBus } from '@nestjs/cqrs';
import { serviceTopic, uuidv7 } from '@nqpf/contracts';
import { ManualClock } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import {
  createTestTopics,
  settlesWithin,
  startService,
  ServiceUnderTest,
  testEnvironment,
  uniqueName,
} from '@nqpf/testing';
import { loadReviewConfig } from '../../config';
import { PublicityDeadlineTimer } from '../../deadlines/publicity-deadline.timer';
import { accepted, creditCode, passingFacts } from '../../domain/candidacy/candidacy.fixtures';
import { ReviewModule } from '../../review.module';
import { CandidacyCommandMessage } from '../candidacy.command';
import { CandidaciesProjection } from './candidacies.projection';
import { migrateCandidacyRows } from './candidacy-rows';

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const OTHER_OPERATOR = { name: '长春某科技服务有限公司', creditCode: creditCode('91220102MA0000002') };
const THIRD_OPERATOR = { name: '长春某创新服务有限公司', creditCode: creditCode('91220102MA0000003') };

describe('candidacy lists: the bureau queue, district and operator scopes, expert assignments, the public publicity list', () => {
  const environment = testEnvironment(uniqueName('review-list'));
  const clock = new ManualClock(new Date('2026-03-12T10:00:00+08:00'));
  let review: ServiceUnderTest;
  let http: () => ReturnType<typeof request>;
  let bureau: string;
  let auditor: string;
  let nanguan: string;
  let expertA: string;
  let expertB: string;
  const ids = { nanguan: uuidv7(), conflicted: uuidv7(), chaoyang: uuidv7() };

  const open = (
    id: string,
    district: string,
    operator = passingFacts().operator,
    callId = 'call-2026',
    facts = passingFacts(),
  ) =>
    review.app.get(CommandBus).execute(
      new CandidacyCommandMessage(
        id,
        {
          kind: 'open',
          accepted: { ...accepted({ ...facts, operator }), applicationId: id, district, callId },
        },
        { id: 'review', role: 'system' },
        uuidv7(),
      ),
    );
  const post = (id: string, path: string, token: string, body: object = {}) =>
    http().post(`/candidacies/${id}/${path}`).set(as(token)).send(body).expect(200);

  beforeAll(async () => {
    // Review consumes intake's topic; intake itself is not needed here (candidacies are opened directly).
    await createTestTopics([serviceTopic('intake', environment.topicPrefix)]);
    review = await startService('review', environment, (env) =>
      ReviewModule.forRoot(loadReviewConfig({ ...env, REVIEW_DEADLINE_INTERVAL_MS: '0' }), env, { clock }),
    );
    http = () => request(review.app.getHttpServer());
    bureau = await review.token({ role: 'city_bureau', sub: 'bureau-1' });
    auditor = await review.token({ role: 'auditor', sub: 'auditor-1' });
    nanguan = await review.token({ role: 'district_office', district: '南关区', sub: 'nanguan-1' });
    expertA = await review.token({ role: 'expert', sub: 'expert-a' });
    expertB = await review.token({ role: 'expert', sub: 'expert-b' });
    for (const e of ['expert-a', 'expert-b'])
      await http()
        .post(`/experts/${e}`)
        .set(as(bureau))
        .send({ name: e, specialties: ['技术转移'] })
        .expect(201);
    await open(ids.nanguan, '南关区');
    await open(ids.conflicted, '南关区', OTHER_OPERATOR);
    await open(ids.chaoyang, '朝阳区', passingFacts().operator, 'call-2027');
  });

  afterAll(async () => {
    await review?.close();
  });

  const list = async (token: string, path: string) => {
    const res = await http().get(path).set(as(token)).expect(200);
    return res.body as {
      total: number;
      items: {
        applicationId: string;
        status: string;
        phase: string;
        updatedAt: string;
        reviews: { expertId: string; score: number }[];
        inspections: { expertId: string; inspectedOn: string; satisfactory: boolean }[];
      }[];
    };
  };
  const idsOf = (body: { items: { applicationId: string }[] }) =>
    body.items.map((i) => i.applicationId).sort();

  it('gives the bureau and auditors the queue by stage, and a district office only its district', async () => {
    expect(idsOf(await list(bureau, '/candidacies?phase=eligible'))).toEqual(Object.values(ids).sort());
    expect((await list(auditor, '/candidacies?status=eligible&limit=2')).items).toHaveLength(2);
    expect(idsOf(await list(nanguan, '/candidacies'))).toEqual([ids.nanguan, ids.conflicted].sort());
    expect((await list(nanguan, `/candidacies?district=${encodeURIComponent('朝阳区')}`)).total).toBe(0);
    // One call's candidacies (A7), e.g. to decide its list.
    expect(idsOf(await list(bureau, '/candidacies?callId=call-2026'))).toEqual(
      [ids.nanguan, ids.conflicted].sort(),
    );
    expect(idsOf(await list(bureau, '/candidacies?callId=call-2027'))).toEqual([ids.chaoyang]);
    const operator = await review.token({ role: 'operator', centerId: ids.chaoyang, sub: 'op-c' });
    expect(idsOf(await list(operator, '/candidacies'))).toEqual([ids.chaoyang]);
    await http().get('/candidacies?limit=500').set(as(bureau)).expect(400);
    const far = await http().get('/candidacies?offset=1e20').set(as(bureau)).expect(400);
    expect(far.body.message).toContain('offset');
    await http().get('/candidacies?phase=approved').set(as(bureau)).expect(400);
    // A misspelt district is a 400 naming it, not an empty queue; an empty one is no filter.
    const typo = await http()
      .get(`/candidacies?district=${encodeURIComponent('南关')}`)
      .set(as(bureau))
      .expect(400);
    expect(typo.body).toMatchObject({ error: 'invalid_input', field: 'district' });
    expect(typo.body.message).toMatch(/^district: "南关" is neither a district-level unit/);
    expect((await list(bureau, '/candidacies?district=')).total).toBe(Object.values(ids).length);
    await http().get('/candidacies?limit=0x10').set(as(bureau)).expect(400);
  });

  it("lists an expert's assignments, dropping one once they declare a conflict with its operator", async () => {
    await post(ids.nanguan, 'experts', bureau, { expertId: 'expert-a' });
    await post(ids.conflicted, 'experts', bureau, { expertId: 'expert-a' });
    expect(idsOf(await list(expertA, '/experts/me/assignments'))).toEqual(
      [ids.nanguan, ids.conflicted].sort(),
    );
    expect((await list(expertB, '/experts/me/assignments')).total).toBe(0);
    await http().get(`/candidacies/${ids.conflicted}`).set(as(expertA)).expect(200);

    await http()
      .post('/experts/expert-a/conflicts')
      .set(as(expertA))
      .send({ institution: OTHER_OPERATOR, reason: '近三年在该单位兼职' })
      .expect(200);
    expect(idsOf(await list(expertA, '/experts/me/assignments'))).toEqual([ids.nanguan]);
    expect(idsOf(await list(expertA, '/candidacies'))).toEqual([ids.nanguan]);
    // A9.1: still assigned, but conflicted: the single read answers as an unknown id, as the list hides it.
    const refused = await http().get(`/candidacies/${ids.conflicted}`).set(as(expertA)).expect(404);
    expect(refused.body.message).toBe(`candidacy ${ids.conflicted} not found`);
    await http().get(`/candidacies/${ids.nanguan}`).set(as(expertA)).expect(200);
    await http().get('/experts/me/assignments').set(as(bureau)).expect(403);

    // The bureau reads them assigned and conflicted; the center's district office reads no one's conflict.
    const one = (await http().get(`/candidacies/${ids.conflicted}`).set(as(bureau)).expect(200)).body;
    expect(one).toMatchObject({ experts: ['expert-a'], conflictedExperts: ['expert-a'] });
    const theirs = (await http().get(`/candidacies/${ids.nanguan}`).set(as(bureau)).expect(200)).body;
    expect(theirs).toMatchObject({ experts: ['expert-a'], conflictedExperts: [] });
    const office = (await http().get(`/candidacies/${ids.conflicted}`).set(as(nanguan)).expect(200)).body;
    expect(office).toMatchObject({ experts: ['(withheld)'], conflictedExperts: [] });
    // Assigning them again is the A9.1 refusal a never-assigned conflicted expert gets, not "already assigned".
    const again = await http()
      .post(`/candidacies/${ids.conflicted}/experts`)
      .set(as(bureau))
      .send({ expertId: 'expert-a' })
      .expect(422);
    expect(again.body).toMatchObject({ rule: 'A9.1' });
    expect(again.body.message).toContain(`declared a conflict with ${OTHER_OPERATOR.name}`);
    expect(again.body.message).toContain('after their assignment');
  });

  it('shows anyone, without a token, the applications in publicity until their publicity ends', async () => {
    await post(ids.nanguan, 'reviews', expertA, { score: 90, opinion: '服务功能齐全' });
    await post(ids.nanguan, 'site-inspections', expertA, {
      inspectedOn: '2026-03-12',
      satisfactory: true,
      finding: '一致',
    });
    expect(idsOf(await list(bureau, '/candidacies?phase=reviewed'))).toEqual([ids.nanguan]);
    await post(ids.nanguan, 'listing', bureau, { listId: 'list-2026-1', listed: true, reason: '通过' });
    clock.set('2026-03-15T10:00:00+08:00');
    await post(ids.nanguan, 'publicity', bureau, { publishedOn: '2026-03-16' });
    // Published tomorrow: not shown as current today (an objection today would be refused).
    expect((await http().get('/publicity').expect(200)).body.total).toBe(0);
    clock.set('2026-03-16T10:00:00+08:00');

    const shown = await http().get('/publicity').expect(200);
    expect(shown.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    // Public, so counted by the platform's public throttling.
    expect(Object.keys(shown.headers).some((h) => h.startsWith('x-ratelimit-limit'))).toBe(true);
    expect(shown.body.items).toEqual([
      {
        applicationId: ids.nanguan,
        operatorName: passingFacts().operator.name,
        district: '南关区',
        publishedOn: '2026-03-16',
        lastDay: '2026-03-23',
        endsAt: '2026-03-23T16:00:00.000Z',
        objectionPending: false,
      },
    ]);
    await http().get('/publicity?limit=0').expect(400);
    // The registry's code for the phase, as review's own.
    expect(idsOf(await list(bureau, '/candidacies?phase=in_publicity'))).toEqual([ids.nanguan]);
    expect(idsOf(await list(bureau, '/candidacies?phase=in%20publicity'))).toEqual([ids.nanguan]);

    clock.set('2026-03-24T00:00:00+08:00');
    await review.app.get(PublicityDeadlineTimer).tick();
    expect((await http().get('/publicity').expect(200)).body.total).toBe(0);
    expect((await list(bureau, '/candidacies?phase=publicity passed')).items).toEqual([
      expect.objectContaining({ applicationId: ids.nanguan, status: 'publicity-ended' }),
    ]);
  });

  it("takes the registry's phase codes for the same phases, answering with review's own", async () => {
    const pairs = [
      ['publicity_passed', 'publicity passed'],
      ['in_publicity', 'in publicity'],
      ['objection_pending', 'objection pending'],
      ['not_listed', 'not-listed'],
      ['recognised', 'recognized'],
      ['accepted', 'opened'],
    ];
    for (const [registry, own] of pairs) {
      const mine = await list(bureau, `/candidacies?phase=${encodeURIComponent(own)}`);
      expect(await list(bureau, `/candidacies?phase=${registry}`)).toEqual(mine);
    }
    const passed = await list(bureau, '/candidacies?phase=publicity_passed');
    expect(passed.items.map((i) => [i.applicationId, i.phase])).toEqual([[ids.nanguan, 'publicity passed']]);
    // Mixed in one list, and in an expert's assignments.
    expect(idsOf(await list(bureau, '/candidacies?phase=publicity_passed,eligible'))).toEqual(
      idsOf(await list(bureau, `/candidacies?phase=${encodeURIComponent('publicity passed,eligible')}`)),
    );
    expect(idsOf(await list(expertA, '/experts/me/assignments?phase=publicity_passed'))).toEqual([
      ids.nanguan,
    ]);
    // Anything else (the status's spelling too) is a 400 naming phase and listing what it takes.
    for (const bad of ['in-publicity', 'ineligible', 'approved']) {
      const refused = await http().get(`/candidacies?phase=${bad}`).set(as(bureau)).expect(400);
      expect(refused.body).toMatchObject({ error: 'invalid_input', field: 'phase' });
      for (const value of ['eligible', 'in publicity', 'publicity passed', 'in_publicity', 'recognised'])
        expect(refused.body.message).toContain(value);
    }
  });

  it('rebuilds missing rows from the event store on start, with conflicts recomputed', async () => {
    const before = (await list(bureau, '/candidacies')).items.map((i) => [i.applicationId, i.updatedAt]);
    await review.db.pool.query(`delete from review.candidacies`);
    await review.app.get(CandidaciesProjection).onApplicationBootstrap();
    const after = (await list(bureau, '/candidacies')).items.map((i) => [i.applicationId, i.updatedAt]);
    // A repaired row keeps its last change's time (the list's order), not the repair's.
    expect(after).toEqual(before);
    expect(idsOf(await list(expertA, '/experts/me/assignments'))).toEqual([ids.nanguan]);
  });

  it('leaves a conflicted expert off the panel in the phase: the queue says reviewed when the rest have', async () => {
    const phase = async (id: string) => {
      const row = (await list(bureau, '/candidacies')).items.find((i) => i.applicationId === id)!;
      const one = (await http().get(`/candidacies/${id}`).set(as(bureau)).expect(200)).body;
      expect(one.phase).toBe(row.phase);
      return row.phase;
    };
    const review = (id: string, token: string) =>
      post(id, 'reviews', token, { score: 80, opinion: '可' }).then(() =>
        post(id, 'site-inspections', token, {
          // A9.1: not before the expert's assignment, made today.
          inspectedOn: shanghaiToday(clock.now()),
          satisfactory: true,
          finding: '一致',
        }),
      );
    // expert-a declared a conflict with this operator (above) and never reviewed; expert-b has reviewed.
    await post(ids.conflicted, 'experts', bureau, { expertId: 'expert-b' });
    await review(ids.conflicted, expertB);
    expect(await phase(ids.conflicted)).toBe('reviewed');
    // The other way: expert-b reviewed 朝阳区's application with expert-a, then declares a conflict with it.
    await post(ids.chaoyang, 'experts', bureau, { expertId: 'expert-a' });
    await post(ids.chaoyang, 'experts', bureau, { expertId: 'expert-b' });
    await review(ids.chaoyang, expertB);
    expect(await phase(ids.chaoyang)).toBe('eligible');
    await post(ids.chaoyang, 'reviews', expertA, { score: 85, opinion: '可' });
    expect(await phase(ids.chaoyang)).toBe('reviewed');
    // Only expert-b inspected the site: once they are off the panel, A9.1 is not done.
    await http()
      .post('/experts/expert-b/conflicts')
      .set(as(expertB))
      .send({ institution: passingFacts().operator, reason: '近三年在该单位兼职' })
      .expect(200);
    expect(await phase(ids.chaoyang)).toBe('eligible');
  });
  describe('what the list is decided on (A9.2), on each row', () => {
    const listed = uuidv7();
    const ineligible = uuidv7();
    /** Assigned to expert-c too, not reviewed yet. */
    const toReview = uuidv7();
    const call = (token: string) => list(token, '/candidacies?callId=call-2028');
    const rowOf = async (token: string, id = listed) =>
      (await call(token)).items.find((i) => i.applicationId === id);

    beforeAll(async () => {
      await open(listed, '南关区', THIRD_OPERATOR, 'call-2028');
      const small = { ...passingFacts(), premises: { buildingAreaM2: '4999.99' } };
      await open(ineligible, '南关区', THIRD_OPERATOR, 'call-2028', small);
      await open(toReview, '南关区', THIRD_OPERATOR, 'call-2028');
      for (const e of ['expert-c', 'expert-d']) {
        await http().post(`/experts/${e}`).set(as(bureau)).send({ name: e, specialties: [] }).expect(201);
        await post(listed, 'experts', bureau, { expertId: e });
      }
      await post(toReview, 'experts', bureau, { expertId: 'expert-c' });
      const [c, d] = await Promise.all(
        ['expert-c', 'expert-d'].map((sub) => review.token({ role: 'expert', sub })),
      );
      await post(listed, 'reviews', c, { score: 88, opinion: '服务功能齐全' });
      await post(listed, 'reviews', d, { score: 76, opinion: '经纪人结构略弱' });
      await post(listed, 'site-inspections', d, {
        inspectedOn: shanghaiToday(clock.now()),
        satisfactory: false,
        finding: '展示区未运行',
      });
    });

    it('shows the bureau eligibility, the panel, its scores and verdicts as the candidacy does', async () => {
      const row = await rowOf(bureau);
      expect(row).toMatchObject({
        phase: 'reviewed',
        eligibility: { eligible: true, ruleIds: [] },
        experts: ['expert-c', 'expert-d'],
        expertsAssigned: 2,
        reviews: [
          { expertId: 'expert-c', score: 88 },
          { expertId: 'expert-d', score: 76 },
        ],
        reviewsRecorded: 2,
        inspections: [{ expertId: 'expert-d', inspectedOn: shanghaiToday(clock.now()), satisfactory: false }],
      });
      // The candidacy's own scores and verdicts, less what the experts wrote (opened to read those).
      const one = (await http().get(`/candidacies/${listed}`).set(as(bureau)).expect(200)).body;
      expect(row!.reviews).toEqual(one.reviews.map(({ opinion: _, ...r }: { opinion: string }) => r));
      expect(row!.inspections).toEqual(one.inspections.map(({ finding: _, ...i }: { finding: string }) => i));
      expect(await rowOf(auditor)).toEqual(row);
      // An application refused as ineligible says why, with nothing to review.
      expect(await rowOf(bureau, ineligible)).toMatchObject({
        status: 'rejected',
        eligibility: { eligible: false, ruleIds: ['A6.1'] },
        expertsAssigned: 0,
        reviews: [],
        reviewsRecorded: 0,
        inspections: [],
      });
      // The queue of reviewed applications the list is decided from.
      expect(idsOf(await list(bureau, '/candidacies?callId=call-2028&phase=reviewed'))).toEqual([listed]);
    });

    it('shows the center the scores and verdicts, not who gave them, and an expert their own', async () => {
      const withheld = { expertId: '(withheld)' };
      for (const token of [nanguan, await review.token({ role: 'operator', centerId: listed, sub: 'op-l' })])
        expect(await rowOf(token)).toMatchObject({
          experts: ['(withheld)', '(withheld)'],
          expertsAssigned: 2,
          reviews: [
            { ...withheld, score: 88 },
            { ...withheld, score: 76 },
          ],
          reviewsRecorded: 2,
          inspections: [{ ...withheld, satisfactory: false }],
        });
      const expertC = await review.token({ role: 'expert', sub: 'expert-c' });
      const own = {
        experts: ['expert-c', '(withheld)'],
        expertsAssigned: 2,
        reviews: [{ expertId: 'expert-c', score: 88 }],
        reviewsRecorded: 1,
        inspections: [],
      };
      expect(await rowOf(expertC)).toMatchObject(own);
      const assignments = (await list(expertC, '/experts/me/assignments?callId=call-2028&reviewed=true'))
        .items;
      expect(assignments).toEqual([expect.objectContaining(own)]);
      // Their work list: what they have not reviewed yet.
      const pending = await list(expertC, '/experts/me/assignments?callId=call-2028&reviewed=false');
      expect(idsOf(pending)).toEqual([toReview]);
      expect(idsOf(await list(expertC, '/experts/me/assignments?callId=call-2028')).sort()).toEqual(
        [listed, toReview].sort(),
      );
      await http().get('/experts/me/assignments?reviewed=yes').set(as(expertC)).expect(400);
    });

    it('fills the summary of rows written before it was kept, or by a replica that did not know it, on start', async () => {
      const before = (await call(bureau)).items;
      const projection = review.app.get(CandidaciesProjection);
      await review.db.pool.query(
        `alter table review.candidacies drop column eligible, drop column eligibility_rule_ids,
           drop column reviews, drop column inspections, drop column summary_version`,
      );
      await projection.onModuleInit();
      const stored = () =>
        review.db.pool.query(
          `select eligible, reviews, summary_version = version as current from review.candidacies
            where application_id = $1`,
          [listed],
        );
      // Added empty: nothing to show until the row is written again from its stream.
      expect((await stored()).rows).toEqual([{ eligible: null, reviews: [], current: null }]);
      await projection.onApplicationBootstrap();
      expect((await call(bureau)).items).toEqual(before);
      expect((await stored()).rows).toEqual([{ eligible: true, reviews: expect.any(Array), current: true }]);

      // A replica that does not know the summary moved the row on without it.
      await review.db.pool.query(
        `update review.candidacies set reviews = '[]', summary_version = version - 1 where application_id = $1`,
        [listed],
      );
      await projection.onApplicationBootstrap();
      expect((await call(bureau)).items).toEqual(before);
    });

    it('starts beside running replicas without waiting for a read in flight on the rows', async () => {
      const running = await review.db.pool.connect();
      try {
        await running.query('begin');
        await running.query('select count(*) from review.candidacies');
        expect(await settlesWithin(migrateCandidacyRows(review.db.pool), 3000)).toBe(true);
      } finally {
        await running.query('commit');
        running.release();
      }
    });
  });
});
