import request from 'supertest';
import { uuidv7 } from '@nqpf/contracts';
import {
  applicationFacts,
  material,
  requiredMaterials,
  ServiceUnderTest,
  startService,
  testEnvironment,
  uniqueName,
  waitingForLock,
} from '@nqpf/testing';
import { shanghaiToday } from '@nqpf/rules';
import { loadIntakeConfig } from '../config';
import { IntakeModule } from '../intake.module';

const facts = applicationFacts();
describe('intake applications over HTTP (A7, A8) on real PostgreSQL', () => {
  const environment = testEnvironment(uniqueName('intake-apps'));
  let intake: ServiceUnderTest;
  let http: ReturnType<typeof request>;
  let bureau: string;
  let district: string;
  let callId: string;

  beforeAll(async () => {
    intake = await startService('intake', environment, (env) =>
      IntakeModule.forRoot(loadIntakeConfig(env), env),
    );
    http = request(intake.app.getHttpServer());
    bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-1' });
    district = await intake.token({ role: 'district_office', district: '南关区', sub: 'nanguan-1' });
    const today = shanghaiToday(new Date());
    const year = Number(today.slice(0, 4));
    const opened = await http
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` })
      .expect(201);
    callId = opened.body.callId;
  });

  afterAll(async () => {
    await intake?.close();
  });

  async function operator() {
    const centerId = uuidv7();
    return { centerId, token: await intake.token({ role: 'operator', centerId, sub: `op-${centerId}` }) };
  }

  it('takes an application returned for a missing construction plan through amendment to acceptance', async () => {
    const op = await operator();
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const drafted = await http
      .post('/applications')
      .set(as(op.token))
      .send({
        callId,
        district: '南关区',
        facts,
        materials: [material('application_form'), material('co_construction_agreement')],
      })
      .expect(201);
    expect(drafted.body).toMatchObject({ applicationId: op.centerId, status: 'draft', version: 1 });
    const id = op.centerId;
    await http.post(`/applications/${id}/submit`).set(as(op.token)).expect(200);
    await http
      .post(`/applications/${id}/endorse`)
      .set(as(district))
      .send({ opinion: '同意推荐' })
      .expect(200);
    const returned = await http.post(`/applications/${id}/accept`).set(as(bureau)).expect(200);
    expect(returned.body.status).toBe('returned-for-supplement');

    const view = await http.get(`/applications/${id}`).set(as(op.token)).expect(200);
    expect(view.body.returns).toEqual([
      expect.objectContaining({ by: 'bureau', missing: ['construction_plan'] }),
    ]);

    await http
      .patch(`/applications/${id}`)
      .set(as(op.token))
      .send({
        materials: requiredMaterials(),
      })
      .expect(200);
    await http.post(`/applications/${id}/submit`).set(as(op.token)).expect(200);
    await http.post(`/applications/${id}/endorse`).set(as(district)).send({}).expect(200);
    const accepted = await http.post(`/applications/${id}/accept`).set(as(bureau)).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', revision: 2 });

    const stored = await intake.db.pool.query(
      `select type, actor->>'role' as role, payload from event_store.events where stream_id = $1 order by stream_version`,
      [`application-${id}`],
    );
    expect(stored.rows.map((r) => `${r.type}:${r.role}`)).toEqual([
      'intake.application-drafted:operator',
      'intake.application-submitted:operator',
      'intake.application-endorsed:district_office',
      'intake.application-returned-for-supplement:city_bureau',
      'intake.application-amended:operator',
      'intake.application-submitted:operator',
      'intake.application-endorsed:district_office',
      'intake.application-accepted:city_bureau',
    ]);
    expect(stored.rows.at(-1).payload).toMatchObject({
      facts: { premises: { buildingAreaM2: '5200.50' } },
      materialsDecision: { rule: 'materials', outcome: { complete: true, missing: [] } },
    });
  });

  it('lets an application returned by the wrong district office go to the right one, which alone then endorses it (A3, A8)', async () => {
    const op = await operator();
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const chaoyang = await intake.token({ role: 'district_office', district: '朝阳区', sub: 'chaoyang-1' });
    const id = op.centerId;
    await http
      .post('/applications')
      .set(as(op.token))
      .send({ callId, district: '南关区', facts, materials: requiredMaterials() })
      .expect(201);
    await http.post(`/applications/${id}/submit`).set(as(op.token)).expect(200);
    await http.post(`/applications/${id}/endorse`).set(as(chaoyang)).send({}).expect(404);
    await http
      .post(`/applications/${id}/return`)
      .set(as(district))
      .send({ reasons: ['该中心位于朝阳区，请向朝阳区科技局申报'] })
      .expect(200);
    const row = async (token: string) =>
      (await http.get('/applications').set(as(token)).expect(200)).body.items.find(
        (i: { applicationId: string }) => i.applicationId === id,
      );

    const moved = await http
      .patch(`/applications/${id}`)
      .set(as(op.token))
      .send({ district: '朝阳区' })
      .expect(200);
    expect(moved.body).toMatchObject({ status: 'returned-by-district', revision: 1 });
    expect(await row(bureau)).toMatchObject({ district: '朝阳区', status: 'returned-by-district' });
    expect(await row(district)).toBeUndefined();
    await http.post(`/applications/${id}/submit`).set(as(op.token)).expect(200);

    // The new office has it in its queue and endorses it; the old one finds it no more.
    expect(await row(chaoyang)).toMatchObject({ district: '朝阳区', status: 'submitted', revision: 2 });
    await http.get(`/applications/${id}`).set(as(district)).expect(404);
    await http.post(`/applications/${id}/endorse`).set(as(district)).send({}).expect(404);
    await http
      .post(`/applications/${id}/return`)
      .set(as(district))
      .send({ reasons: ['x'] })
      .expect(404);
    const endorsed = await http.post(`/applications/${id}/endorse`).set(as(chaoyang)).send({}).expect(200);
    expect(endorsed.body).toMatchObject({ status: 'endorsed', revision: 2 });

    // From the endorsement on, the district is fixed: 422 A3 naming district, nothing recorded.
    const refused = await http
      .patch(`/applications/${id}`)
      .set(as(op.token))
      .send({ district: '南关区' })
      .expect(422);
    expect(refused.body).toMatchObject({ error: 'rule_violation', rule: 'A3', field: 'district' });
    expect(refused.body.message).toContain('fixed from the first endorsement on');

    const stored = await intake.db.pool.query(
      `select type, payload->>'district' as district from event_store.events where stream_id = $1 order by stream_version`,
      [`application-${id}`],
    );
    expect(stored.rows.map((r) => `${r.type}:${r.district}`)).toEqual([
      'intake.application-drafted:南关区',
      'intake.application-submitted:南关区',
      'intake.application-returned-by-district:南关区',
      'intake.application-amended:朝阳区',
      'intake.application-submitted:朝阳区',
      'intake.application-endorsed:朝阳区',
    ]);
  });

  it("lets another account of the same center amend and submit (the application is the center's), not another center's", async () => {
    const op = await operator();
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const id = op.centerId;
    await http
      .post('/applications')
      .set(as(op.token))
      .send({ callId, district: '南关区', facts, materials: [] })
      .expect(201);
    const colleague = await intake.token({ role: 'operator', centerId: id, sub: `colleague-${id}` });
    const stranger = (await operator()).token;
    await http
      .patch(`/applications/${id}`)
      .set(as(stranger))
      .send({ materials: requiredMaterials() })
      .expect(404);
    await http.post(`/applications/${id}/submit`).set(as(stranger)).expect(404);
    await http
      .patch(`/applications/${id}`)
      .set(as(colleague))
      .send({ materials: requiredMaterials() })
      .expect(200);
    const submitted = await http.post(`/applications/${id}/submit`).set(as(colleague)).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', revision: 1 });
  });

  it('refuses a change based on a version someone else changed since (If-Match), changing nothing', async () => {
    const op = await operator();
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const id = op.centerId;
    await http
      .post('/applications')
      .set(as(op.token))
      .send({ callId, district: '南关区', facts, materials: [] })
      .expect(201);
    const colleague = await intake.token({ role: 'operator', centerId: id, sub: `colleague-${id}` });
    // Both read version 1; the colleague saves first.
    const read = await http.get(`/applications/${id}`).set(as(op.token)).expect(200);
    expect(read.headers.etag).toBe('"1"');
    const bigger = { ...facts, premises: { ...facts.premises, buildingAreaM2: '6000.00' } };
    await http
      .patch(`/applications/${id}`)
      .set({ ...as(colleague), 'if-match': read.headers.etag })
      .send({ facts: bigger })
      .expect(200);
    const stale = await http
      .patch(`/applications/${id}`)
      .set({ ...as(op.token), 'if-match': read.headers.etag })
      .send({ facts: { ...facts, premises: { ...facts.premises, buildingAreaM2: '5100.00' } } })
      .expect(412);
    expect(stale.body).toMatchObject({ error: 'precondition_failed' });
    expect(stale.body.message).toContain('you read version 1, it is at version 2 now');
    const kept = await http.get(`/applications/${id}`).set(as(op.token)).expect(200);
    expect(kept.headers.etag).toBe('"2"');
    expect(kept.body.facts.premises.buildingAreaM2).toBe('6000.00');
    // Someone else's application answers as an unknown one whatever If-Match says: never its version.
    const stranger = await operator();
    const foreign = await http
      .post(`/applications/${id}/submit`)
      .set({ ...as(stranger.token), 'if-match': '"1"' })
      .expect(404);
    expect(foreign.body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'application not found',
      what: 'application',
    });
    // A stale submit is refused too; with the version read now it goes through.
    await http
      .post(`/applications/${id}/submit`)
      .set({ ...as(op.token), 'if-match': '"1"' })
      .expect(412);
    // If-Match compares strongly: a weak ETag is no version.
    await http
      .post(`/applications/${id}/submit`)
      .set({ ...as(op.token), 'if-match': 'W/"2"' })
      .expect(400);
    await http
      .post(`/applications/${id}/submit`)
      .set({ ...as(op.token), 'if-match': '"2"' })
      .expect(200);
    const bad = await http
      .post(`/applications/${id}/endorse`)
      .set({ ...as(district), 'if-match': 'latest' })
      .send({})
      .expect(400);
    expect(bad.body).toMatchObject({
      error: 'invalid_input',
      field: 'If-Match',
      message: expect.stringMatching(/^If-Match: must be the version you read/),
    });
  });

  it('answers another district as not found, a wrong state and a bad field, each with the right status', async () => {
    const op = await operator();
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const id = op.centerId;
    await http
      .post('/applications')
      .set(as(op.token))
      .send({ callId, district: '南关区', facts, materials: [] })
      .expect(201);
    const conflict = await http.post(`/applications/${id}/endorse`).set(as(district)).send({}).expect(409);
    expect(conflict.body).toMatchObject({
      currentState: 'application draft',
      attemptedAction: 'endorse application',
    });
    await http.post(`/applications/${id}/submit`).set(as(op.token)).expect(200);
    const chaoyang = await intake.token({ role: 'district_office', district: '朝阳区' });
    await http.post(`/applications/${id}/endorse`).set(as(chaoyang)).send({}).expect(404);
    const other = await operator();
    await http.get(`/applications/${id}`).set(as(other.token)).expect(404);

    const bad = await http
      .patch(`/applications/${id}`)
      .set(as(op.token))
      .send({ facts: { ...facts, operator: { name: 'X', creditCode: '123' } } })
      .expect(409);
    expect(bad.body.attemptedAction).toBe('amend application');
    const third = await operator();
    const invalid = await http
      .post('/applications')
      .set(as(third.token))
      .send({
        callId,
        district: '南关区',
        facts: { ...facts, operator: { name: 'X', creditCode: '123' } },
        materials: [],
      })
      .expect(400);
    expect(invalid.body.field).toBe('facts.operator.creditCode');
  });

  it('refuses a district that is no configured unit with 400 naming district, and stores nothing', async () => {
    const op = await operator();
    const refused = await http
      .post('/applications')
      .set('authorization', `Bearer ${op.token}`)
      .send({ callId, district: 'Atlantis区', facts, materials: requiredMaterials() })
      .expect(400);
    expect(refused.body).toMatchObject({ error: 'invalid_input', field: 'district' });
    expect(refused.body.message).toContain("'Atlantis区' is not a district-level unit of Changchun (A3");
    const stored = await intake.db.pool.query(`select 1 from event_store.events where stream_id = $1`, [
      `application-${op.centerId}`,
    ]);
    expect(stored.rowCount).toBe(0);
    await http.get(`/applications/${op.centerId}`).set('authorization', `Bearer ${bureau}`).expect(404);
    const submitted = await http
      .post(`/applications/${op.centerId}/submit`)
      .set('authorization', `Bearer ${op.token}`)
      .expect(404);
    expect(submitted.body).toMatchObject({ error: 'not_found', message: 'application not found' });
  });

  it('refuses to submit activities of 2019 (A6.5: the 12 months before submission), naming the field', async () => {
    const op = await operator();
    const as = { authorization: `Bearer ${op.token}` };
    const old = { ...facts, activities: { count: 120, periodFrom: '2019-01-01', periodTo: '2019-12-31' } };
    await http
      .post('/applications')
      .set(as)
      .send({ callId, district: '南关区', facts: old, materials: requiredMaterials() })
      .expect(201);
    const refused = await http.post(`/applications/${op.centerId}/submit`).set(as).expect(400);
    expect(refused.body).toMatchObject({ field: 'facts.activities.periodTo' });
    expect(refused.body.message).toContain('(A6.5)');
    const view = await http.get(`/applications/${op.centerId}`).set(as).expect(200);
    expect(view.body).toMatchObject({ status: 'draft', revision: 0 });
  });

  it('shows on the public call whether it takes submissions today: inside its window and not closed', async () => {
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const open = async (body: object) =>
      (await http.post('/calls').set('authorization', `Bearer ${bureau}`).send(body).expect(201)).body
        .callId as string;
    const read = async (callId: string) => (await http.get(`/calls/${callId}`).expect(200)).body;
    const current = await open({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` });
    const next = await open({ year: year + 1, opensOn: `${year + 1}-03-01`, closesOn: `${year + 1}-04-30` });
    expect(await read(current)).toMatchObject({ status: 'open', takesSubmissionsToday: true });
    expect(await read(next)).toMatchObject({ status: 'open', takesSubmissionsToday: false });
    await http
      .post(`/calls/${current}/close`)
      .set('authorization', `Bearer ${bureau}`)
      .send({ reason: '提前截止' })
      .expect(200);
    expect(await read(current)).toMatchObject({ status: 'closed', takesSubmissionsToday: false });
  });

  it('refuses an application under a closed call, naming the window', async () => {
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const opened = await http
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` })
      .expect(201);
    // Before its window ends: the bureau says why (A7), or nothing is recorded.
    const unexplained = await http
      .post(`/calls/${opened.body.callId}/close`)
      .set('authorization', `Bearer ${bureau}`)
      .expect(400);
    expect(unexplained.body).toMatchObject({ field: 'reason' });
    expect(unexplained.body.message).toContain('A7');
    expect((await http.get(`/calls/${opened.body.callId}`).expect(200)).body.status).toBe('open');
    await http
      .post(`/calls/${opened.body.callId}/close`)
      .set('authorization', `Bearer ${bureau}`)
      .send({ reason: '预算调整，提前截止' })
      .expect(200);
    const closedEvent = await intake.db.pool.query(
      `select payload from event_store.events where type = 'intake.call-closed' and payload->>'callId' = $1`,
      [opened.body.callId],
    );
    expect(closedEvent.rows[0].payload.reason).toBe('预算调整，提前截止');
    const op = await operator();
    const refused = await http
      .post('/applications')
      .set('authorization', `Bearer ${op.token}`)
      .send({ callId: opened.body.callId, district: '南关区', facts, materials: [] })
      .expect(422);
    expect(refused.body).toMatchObject({
      rule: 'A7',
      opensOn: `${year}-01-01`,
      closesOn: `${year}-12-31`,
      status: 'closed',
    });
  });

  it('closes a call only after the submissions already checking it have committed', async () => {
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const opened = await http
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` })
      .expect(201);
    const op = await operator();
    const as = { authorization: `Bearer ${op.token}` };
    await http
      .post('/applications')
      .set(as)
      .send({ callId: opened.body.callId, district: '南关区', facts, materials: requiredMaterials() })
      .expect(201);
    // The submission has found the call open and waits to write its list row.
    const blocker = await intake.db.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select 1 from intake.applications where application_id = $1 for update', [
        op.centerId,
      ]);
      const submitting = http
        .post(`/applications/${op.centerId}/submit`)
        .set(as)
        .then((r) => r);
      await waitingForLock(intake.db.pool, '%insert into intake.applications%');
      let closed = false;
      const closing = http
        .post(`/calls/${opened.body.callId}/close`)
        .set('authorization', `Bearer ${bureau}`)
        .send({ reason: '提前截止' })
        .then((r) => {
          closed = true;
          return r;
        });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(closed).toBe(false);
      await blocker.query('commit');
      expect((await submitting).status).toBe(200);
      expect((await closing).status).toBe(200);
    } finally {
      blocker.release();
    }
    const late = await operator();
    const refused = await http
      .post('/applications')
      .set('authorization', `Bearer ${late.token}`)
      .send({ callId: opened.body.callId, district: '南关区', facts, materials: [] })
      .expect(422);
    expect(refused.body).toMatchObject({ rule: 'A7', status: 'closed' });
  });

  it('names callId when a call id in the path is not a UUID', async () => {
    const refusal = {
      statusCode: 400,
      error: 'invalid_input',
      message: 'callId: must be a UUID',
      field: 'callId',
    };
    const read = await http.get('/calls/not-a-call').expect(400);
    expect(read.body).toEqual(refusal);
    const close = await http
      .post('/calls/not-a-call/close')
      .set('authorization', `Bearer ${bureau}`)
      .expect(400);
    expect(close.body).toEqual(refusal);
  });
});
