import request from 'supertest';
import { serviceTopic, uuidv7 } from '@nqpf/contracts';
import { ManualClock } from '@nqpf/platform';
import {
  createTestTopics,
  startService,
  ServiceUnderTest,
  testEnvironment,
  uniqueName,
  waitingForLock,
} from '@nqpf/testing';
import { loadReviewConfig } from '../config';
import { PublicityDeadlineTimer } from '../deadlines/publicity-deadline.timer';
import { ReviewModule } from '../review.module';
import { openEligibleCandidacy } from './open-candidacy.spec-helper';
import { shanghaiToday } from '@nqpf/rules';

jest.setTimeout(60_000);

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** A9.4 objections racing each other and the end of publicity, on real PostgreSQL. */
describe('objections received during publicity are recorded whatever else is written at the same moment', () => {
  const environment = testEnvironment(uniqueName('review-objections'));
  // Anonymous objections count against the general limit too; one test here sends fifty.
  environment.env.SECURITY_RATE_LIMIT = '1000';
  const clock = new ManualClock(new Date('2026-04-01T10:00:00+08:00'));
  let review: ServiceUnderTest;
  const http = () => request(review.app.getHttpServer());
  let bureau: string;
  let office: string;

  beforeAll(async () => {
    await createTestTopics([serviceTopic('intake', environment.topicPrefix)]);
    review = await startService('review', environment, (env) =>
      // The test fires stored deadlines itself (tick).
      ReviewModule.forRoot(loadReviewConfig({ ...env, REVIEW_DEADLINE_INTERVAL_MS: '0' }), env, { clock }),
    );
    bureau = await review.token({ role: 'city_bureau', sub: 'bureau-1' });
    office = await review.token({ role: 'district_office', district: '南关区', sub: 'nanguan-1' });
    await http().post('/experts/ox').set(as(bureau)).send({ name: '李四', specialties: [] }).expect(201);
  });
  afterAll(async () => {
    await review?.close();
  });

  /** A candidacy in publicity from today; returns its id and the end of the period. */
  async function inPublicity(): Promise<{ id: string; endsAt: string }> {
    const id = await openEligibleCandidacy(review.app);
    const expert = await review.token({ role: 'expert', sub: 'ox' });
    await http().post(`/candidacies/${id}/experts`).set(as(bureau)).send({ expertId: 'ox' }).expect(200);
    await http()
      .post(`/candidacies/${id}/reviews`)
      .set(as(expert))
      .send({ score: 90, opinion: '好' })
      .expect(200);
    // A9.1: inspected by the expert assigned, so not before their assignment (today).
    await http()
      .post(`/candidacies/${id}/site-inspections`)
      .set(as(expert))
      .send({ inspectedOn: shanghaiToday(clock.now()), satisfactory: true, finding: '一致' })
      .expect(200);
    await http()
      .post(`/candidacies/${id}/listing`)
      .set(as(bureau))
      .send({ listId: 'list-2026', listed: true, reason: '评审通过' })
      .expect(200);
    const today = shanghaiToday(clock.now());
    await http()
      .post(`/candidacies/${id}/publicity`)
      .set(as(bureau))
      .send({ publishedOn: today })
      .expect(200);
    const got = await http().get(`/candidacies/${id}`).set(as(bureau)).expect(200);
    return { id, endsAt: got.body.publicity.endsAt };
  }

  const objection = (id: string, n: number) =>
    http()
      .post(`/candidacies/${id}/objections`)
      .send({ objector: { name: `异议人${n}`, contact: `1380000000${n}` }, content: `异议内容${n}` });

  const raised = async (id: string) =>
    (
      await review.db.pool.query(
        `select count(*)::int as n from event_store.events where stream_id = $1 and type = 'review.objection-raised'`,
        [`candidacy-${id}`],
      )
    ).rows[0].n;

  it('refuses an objection without an objector as anonymous (422 A9.4 naming objector.name), recording nothing; stores no caller text as correlation id', async () => {
    clock.set('2026-05-06T10:00:00+08:00');
    const { id } = await inPublicity();
    const refused = await http()
      .post(`/candidacies/${id}/objections`)
      .send({ content: '匿名异议' })
      .expect(422);
    expect(refused.body).toMatchObject({ rule: 'A9.4', field: 'objector.name' });
    expect(await raised(id)).toBe(0);
    // X-Correlation-Id is recorded in the event for good: a caller's text that is no id is replaced.
    await objection(id, 0).set('x-correlation-id', 'x'.repeat(8000)).expect(200);
    await objection(id, 9).set('x-correlation-id', 'trace-0193a0ff').expect(200);
    const { rows } = await review.db.pool.query(
      `select correlation_id from event_store.events where stream_id = $1 and type = 'review.objection-raised'
        order by position`,
      [`candidacy-${id}`],
    );
    expect(rows.map((r) => r.correlation_id)).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      'trace-0193a0ff',
    ]);
  });

  it('records eight objections sent at the same moment in the last second (none answered 409)', async () => {
    clock.set('2026-04-01T10:00:00+08:00');
    const { id, endsAt } = await inPublicity();
    clock.set(new Date(Date.parse(endsAt) - 1000).toISOString());
    const objectors = [1, 2, 3, 4, 5, 6, 7, 8];
    const answers = await Promise.all(objectors.map((n) => objection(id, n)));
    expect(answers.map((a) => a.status)).toEqual(objectors.map(() => 200));
    expect(new Set(answers.map((a) => a.body.objectionId)).size).toBe(8);
    expect(await raised(id)).toBe(8);
    // Its publicity ends here, so the next test's tick fires only its own deadline.
    clock.set(endsAt);
    expect(await review.app.get(PublicityDeadlineTimer).tick()).toBe(1);
  });

  it('records an objection received before the end though the timer ended publicity first; signing waits for it', async () => {
    clock.set('2026-04-01T10:00:00+08:00');
    const { id, endsAt } = await inPublicity();
    // The timer's end of publicity holds the assigned expert's lock while the objection (received one
    // second before the end) waits behind it, then finds its loaded version taken.
    const blocker = await review.db.pool.connect();
    let answer: request.Response;
    try {
      await blocker.query('begin');
      await blocker.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', ['review.expert:ox']);
      clock.set(endsAt);
      const ticking = review.app.get(PublicityDeadlineTimer).tick();
      await waitingForLock(review.db.pool, '%pg_advisory_xact_lock%');
      clock.set(new Date(Date.parse(endsAt) - 1000).toISOString());
      const objecting = objection(id, 1).then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await blocker.query('commit');
      answer = await objecting;
      await ticking;
    } finally {
      blocker.release();
    }
    expect(answer.status).toBe(200);
    expect(await raised(id)).toBe(1);
    clock.set(new Date(Date.parse(endsAt) + 3_600_000).toISOString());
    const got = await http().get(`/candidacies/${id}`).set(as(bureau)).expect(200);
    expect(got.body.status).toBe('publicity-ended');
    for (const party of [office, bureau]) {
      const refused = await http()
        .post(`/candidacies/${id}/agreement`)
        .set(as(party))
        .send({ reason: '公示期满' })
        .expect(422);
      expect(refused.body.rule).toBe('A9.4');
    }
  });

  const refusedCount = async (id: string) =>
    (
      await review.db.pool.query(
        `select count(*)::int as n from event_store.events where stream_id = $1 and type = 'review.objection-refused'`,
        [`candidacy-${id}`],
      )
    ).rows[0].n;

  it('counts a letter from its receipt: one received on the last day and entered after the period is recorded as raised then (201, admissible); a receipt to come, a malformed one, a district office and the same letter again are refused, recording nothing', async () => {
    clock.set('2026-06-01T10:00:00+08:00');
    const { id, endsAt } = await inPublicity();
    const lastAfternoon = new Date(Date.parse(endsAt) - 8 * 3_600_000).toISOString();
    const nextMorning = new Date(Date.parse(endsAt) + 33 * 3_600_000).toISOString();
    clock.set(nextMorning);
    const letter = (receivedAt: string, n = 1) => ({
      objector: { name: `写信人${n}`, contact: `长春市南关区人民大街${n}号` },
      content: `来信反映活动台账不实${n}`,
      receivedAt,
      reference: `长科收〔2026〕11${n}号`,
    });
    const post = (token: string, body: object) =>
      http().post(`/candidacies/${id}/objections/letters`).set(as(token)).send(body);
    // Typed in the next morning: the public route calls it late, and records nothing.
    const publicLate = await objection(id, 1).expect(422);
    expect(publicLate.body).toMatchObject({ rule: 'A9.4', lastDay: expect.any(String) });

    const recorded = await post(bureau, letter(lastAfternoon)).expect(201);
    expect(recorded.body).toMatchObject({ objectionId: expect.any(String), admissible: true });
    const { rows } = await review.db.pool.query(
      `select payload, actor from event_store.events where stream_id = $1 and type = 'review.objection-raised'`,
      [`candidacy-${id}`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({
      raisedAt: lastAfternoon,
      letter: { reference: '长科收〔2026〕111号', enteredAt: nextMorning },
      admissibility: { inputs: { receivedAt: lastAfternoon }, outcome: { admissible: true } },
    });
    expect(rows[0].actor).toMatchObject({ id: 'bureau-1', role: 'city_bureau' });

    const toCome = await post(bureau, letter(new Date(Date.parse(nextMorning) + 60_000).toISOString(), 3));
    expect(toCome.status).toBe(400);
    expect(toCome.body.field).toBe('receivedAt');
    for (const receivedAt of ['2026-06-05 16:00', '2026-06-31T10:00:00+08:00', 'yesterday']) {
      const bad = await post(bureau, { ...letter(lastAfternoon, 4), receivedAt });
      expect([receivedAt, bad.status, bad.body.field]).toEqual([receivedAt, 400, 'receivedAt']);
    }
    const { reference: _r, ...unreferenced } = letter(endsAt, 6);
    expect((await post(bureau, unreferenced)).status).toBe(400);
    const { content: _c, ...empty } = letter(endsAt, 7);
    expect((await post(bureau, empty)).status).toBe(400);
    expect((await post(bureau, { ...letter(endsAt, 8), content: '   ' })).body).toMatchObject({
      statusCode: 400,
      field: 'content',
    });
    await post(office, letter(lastAfternoon, 5)).expect(403);
    const again = await post(bureau, letter(lastAfternoon)).expect(409);
    expect(JSON.stringify(again.body)).toContain(recorded.body.objectionId);
    expect(await raised(id)).toBe(1);
    expect(await refusedCount(id)).toBe(0);
  });

  it('records a letter received after the period as refused (201 with the rule and why, review.objection-refused), never pending; the same letter again is a 409', async () => {
    clock.set('2026-06-01T10:00:00+08:00');
    const { id, endsAt } = await inPublicity();
    const nextMorning = new Date(Date.parse(endsAt) + 33 * 3_600_000).toISOString();
    clock.set(nextMorning);
    const firstHour = new Date(Date.parse(endsAt) + 3_600_000).toISOString();
    const letter = {
      objector: { name: '迟来信', contact: '长春市南关区人民大街9号' },
      content: '来信反映场地出租他用',
      receivedAt: firstHour,
      reference: '长科收〔2026〕130号',
    };
    const post = (body: object) =>
      http().post(`/candidacies/${id}/objections/letters`).set(as(bureau)).send(body);
    const refused = await post(letter).expect(201);
    expect(refused.body).toEqual({
      applicationId: id,
      status: 'in-publicity',
      phase: 'in publicity',
      version: expect.any(Number),
      objectionId: expect.any(String),
      admissible: false,
      rule: 'A9.4',
      failed: ['A9.4:inPeriod'],
      reasons: [
        {
          ruleId: 'A9.4',
          criterion: 'inPeriod',
          measured: firstHour,
          threshold: expect.stringContaining(endsAt),
          message: 'raised outside the publicity period: not accepted',
        },
      ],
    });
    const objectionId = refused.body.objectionId;
    const { rows } = await review.db.pool.query(
      `select payload, actor from event_store.events where stream_id = $1 and type = 'review.objection-refused'`,
      [`candidacy-${id}`],
    );
    expect(rows).toEqual([
      {
        actor: expect.objectContaining({ id: 'bureau-1', role: 'city_bureau' }),
        payload: {
          applicationId: id,
          objectionId,
          objector: letter.objector,
          content: letter.content,
          receivedAt: firstHour,
          letter: { reference: '长科收〔2026〕130号', enteredAt: nextMorning },
          admissibility: expect.objectContaining({
            rule: 'objection-admissible',
            inputs: expect.objectContaining({ receivedAt: firstHour, publicityEndsAtExclusive: endsAt }),
            outcome: { admissible: false, failed: ['A9.4:inPeriod'] },
          }),
        },
      },
    ]);
    expect(await raised(id)).toBe(0);

    // The same letter entered again (no Idempotency-Key) is recorded once; a retry with one answers the first.
    const again = await post(letter).expect(409);
    expect(JSON.stringify(again.body)).toContain(objectionId);
    const keyed = { 'idempotency-key': uuidv7() };
    const other = { ...letter, receivedAt: new Date(Date.parse(firstHour) + 60_000).toISOString() };
    const first = await post(other).set(keyed).expect(201);
    const retried = await post(other).set(keyed).expect(201);
    expect(retried.body).toEqual(first.body);
    expect(await refusedCount(id)).toBe(2);

    // Never open: not pending, nobody investigates or rules on it, signing does not wait for it.
    const got = await http().get(`/candidacies/${id}`).set(as(bureau)).expect(200);
    // The duplicate checks' digests stay inside.
    expect(got.body).not.toHaveProperty('refusedLetterKeys');
    expect(got.body).not.toHaveProperty('objectionKeys');
    expect(got.body.objections).toEqual({ [objectionId]: 'refused', [first.body.objectionId]: 'refused' });
    expect(got.body.phase).toBe('in publicity');
    expect(got.body.objectionDetails[0]).toEqual({
      objectionId,
      status: 'refused',
      receivedAt: firstHour,
      receivedOn: expect.any(String),
      pendingDays: null,
      objector: letter.objector,
      content: letter.content,
      sentBy: { id: 'bureau-1', role: 'city_bureau' },
      letter: { reference: '长科收〔2026〕130号', enteredAt: nextMorning },
      investigation: null,
      ruling: null,
      refusal: {
        rule: 'A9.4',
        failed: ['A9.4:inPeriod'],
        reasons: [{ criterion: 'inPeriod', message: 'raised outside the publicity period: not accepted' }],
      },
    });
    const on = (path: string) => `/candidacies/${id}/objections/${objectionId}/${path}`;
    await http().post(on('investigation')).set(as(bureau)).send({}).expect(409);
    await http().post(on('ruling')).set(as(bureau)).send({ upheld: true, reason: '属实' }).expect(409);
    // Earlier tests' periods have ended too: the timer ends them all.
    expect(await review.app.get(PublicityDeadlineTimer).tick()).toBeGreaterThanOrEqual(1);
    const ended = await http().get(`/candidacies/${id}`).set(as(bureau)).expect(200);
    expect(ended.body).toMatchObject({ status: 'publicity-ended', phase: 'publicity passed' });
    const { rows: endedRows } = await review.db.pool.query(
      `select payload from event_store.events where stream_id = $1 and type = 'review.publicity-ended'`,
      [`candidacy-${id}`],
    );
    expect(endedRows[0].payload.pendingObjectionIds).toEqual([]);
    await http()
      .post(`/candidacies/${id}/agreement`)
      .set(as(bureau))
      .send({ reason: '公示期满无异议' })
      .expect(200);
  });

  it('records an anonymous letter received during the period as refused (201, realName and contact failing); the public route still answers 422, recording nothing', async () => {
    clock.set('2026-06-01T10:00:00+08:00');
    const { id } = await inPublicity();
    clock.set('2026-06-02T10:00:00+08:00');
    const refused = await http()
      .post(`/candidacies/${id}/objections/letters`)
      .set(as(bureau))
      .send({
        objector: { name: '  ' },
        content: '匿名来信反映经纪人挂靠',
        receivedAt: '2026-06-02T09:00:00+08:00',
        reference: '长科收〔2026〕131号',
      })
      .expect(201);
    expect(refused.body).toMatchObject({
      admissible: false,
      rule: 'A9.4',
      failed: ['A9.4:realName', 'A9.4:contact'],
      reasons: [
        { criterion: 'realName', message: 'anonymous: not accepted' },
        { criterion: 'contact', message: 'no contact given: not accepted' },
      ],
    });
    const { rows } = await review.db.pool.query(
      `select payload from event_store.events where stream_id = $1 and type = 'review.objection-refused'`,
      [`candidacy-${id}`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({
      objector: {},
      content: '匿名来信反映经纪人挂靠',
      receivedAt: '2026-06-02T01:00:00.000Z',
      admissibility: { outcome: { admissible: false, failed: ['A9.4:realName', 'A9.4:contact'] } },
    });
    const got = await http().get(`/candidacies/${id}`).set(as(bureau)).expect(200);
    expect(got.body.phase).toBe('in publicity');
    expect(got.body.objectionDetails).toEqual([
      expect.objectContaining({
        status: 'refused',
        objector: { name: null, contact: null },
        pendingDays: null,
        refusal: expect.objectContaining({ failed: ['A9.4:realName', 'A9.4:contact'] }),
      }),
    ]);
    // The same words on the public route, unsigned: refused and recorded nowhere.
    const anonymous = await http()
      .post(`/candidacies/${id}/objections`)
      .send({ content: '匿名来信反映经纪人挂靠' })
      .expect(422);
    expect(anonymous.body).toMatchObject({ rule: 'A9.4', field: 'objector.name' });
    expect(await refusedCount(id)).toBe(1);
    expect(await raised(id)).toBe(0);
  });

  it('tells the objector, where a front end reads the route, why name and contact are asked, who sees them and that they are kept with the publicity', async () => {
    const doc = await http().get('/docs-json').expect(200);
    const route = doc.body.paths['/candidacies/{id}/objections'].post;
    expect(route.description).toMatch(/real name.*way to reach you.*A9\.4.*verifies.*answers you/s);
    expect(route.description).toContain('the city bureau and auditors');
    expect(route.description).toContain('not the center, its district office or the experts');
    expect(route.description).toContain('kept with the record of the publicity');
  });

  it('answers a publicity far ahead on an unknown or unlisted candidacy by its state (404, 409), before asking the calendar', async () => {
    clock.set('2026-05-06T10:00:00+08:00');
    const unknown = await http()
      .post(`/candidacies/${uuidv7()}/publicity`)
      .set(as(bureau))
      .send({ publishedOn: '2099-01-05' });
    expect(unknown.status).toBe(404);
    const { id } = await inPublicity();
    const again = await http()
      .post(`/candidacies/${id}/publicity`)
      .set(as(bureau))
      .send({ publishedOn: '2099-01-05' });
    expect(again.status).toBe(409);
  });

  it('loads a candidacy with many objections from a snapshot that keeps digests, not objectors, and still knows a repeat the bureau enters; a public repeat is another objection', async () => {
    clock.set('2026-05-06T10:00:00+08:00');
    const { id } = await inPublicity();
    for (let n = 10; n < 60; n++) await objection(id, n).expect(200);
    const { rows } = await review.db.pool.query(
      `select stream_version, state::text as state from event_store.snapshots
        where stream_id = $1 and aggregate_type = 'review-candidacy'`,
      [`candidacy-${id}`],
    );
    expect(rows).toEqual([{ stream_version: expect.any(Number), state: expect.any(String) }]);
    expect(rows[0].stream_version).toBeGreaterThanOrEqual(50);
    expect(rows[0].state).not.toContain('异议内容');
    expect(rows[0].state).not.toContain('13800000');
    // An objection raised before the snapshot: the bureau's letter of it is refused naming the first.
    const first = await review.db.pool.query(
      `select payload->>'objectionId' as id from event_store.events
        where stream_id = $1 and type = 'review.objection-raised' and payload->>'content' = '异议内容12'`,
      [`candidacy-${id}`],
    );
    const letter = await http()
      .post(`/candidacies/${id}/objections/letters`)
      .set(as(bureau))
      .send({
        objector: { name: '异议人12', contact: '138000000012' },
        content: '异议内容12',
        receivedAt: clock.now().toISOString(),
        reference: '长科收〔2026〕130号',
      })
      .expect(409);
    expect(JSON.stringify(letter.body)).toContain(first.rows[0].id);
    // Sent again on the public route it is answered and recorded as any objection: nothing in the answer
    // or the center's view tells whoever guessed the objector that the guess was right.
    const operator = await review.token({ role: 'operator', centerId: id });
    const seenByTheCenter = async () =>
      Object.keys((await http().get(`/candidacies/${id}`).set(as(operator)).expect(200)).body.objections);
    const before = await seenByTheCenter();
    const again = await objection(id, 12).expect(200);
    const miss = await objection(id, 60).expect(200);
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(miss.body).sort());
    expect(again.body).toMatchObject({ phase: miss.body.phase, version: miss.body.version - 1 });
    expect(JSON.stringify(again.body)).not.toContain(first.rows[0].id);
    expect(await seenByTheCenter()).toEqual([...before, again.body.objectionId, miss.body.objectionId]);
  });

  it('shows the bureau and auditors each objection as received, its ruling and its Asia/Shanghai days pending; the center and the panel when one came and how it was ruled, not who objected or what they wrote', async () => {
    // Monday: publicity until Monday next week.
    clock.set('2026-07-06T10:00:00+08:00');
    const { id } = await inPublicity();
    // A rival center's operator, signed in, objects late in the evening (still 6 July in UTC as well).
    clock.set('2026-07-06T23:30:00+08:00');
    const rival = await review.token({ role: 'operator', centerId: uuidv7(), sub: 'op-rival' });
    const first = (
      await http()
        .post(`/candidacies/${id}/objections`)
        .set(as(rival))
        .send({ objector: { name: '王异议', contact: '13900000001' }, content: '场地实为仓库' })
        .expect(200)
    ).body.objectionId;
    clock.set('2026-07-07T15:00:00+08:00');
    const second = (
      await http()
        .post(`/candidacies/${id}/objections/letters`)
        .set(as(bureau))
        .send({
          objector: { name: '赵来信', contact: '长春市朝阳区某街1号' },
          content: '经纪人未在岗',
          receivedAt: '2026-07-07T09:00:00+08:00',
          reference: '长科收〔2026〕201号',
        })
        .expect(201)
    ).body.objectionId;
    clock.set('2026-07-08T10:00:00+08:00');
    const on = (path: string) => `/candidacies/${id}/objections/${second}/${path}`;
    await http().post(on('investigation')).set(as(bureau)).send({ note: '调取考勤记录' }).expect(200);
    await http()
      .post(on('ruling'))
      .set(as(bureau))
      .send({ upheld: false, reason: '考勤记录显示经纪人在岗，异议不成立' })
      .expect(200);

    // Ten minutes into 9 July in Changchun, still 8 July in UTC: three days since the first came in.
    clock.set('2026-07-09T00:10:00+08:00');
    const read = async (token: string) =>
      (await http().get(`/candidacies/${id}`).set(as(token)).expect(200)).body;
    const byBureau = await read(bureau);
    expect(byBureau.objections).toEqual({ [first]: 'raised', [second]: 'dismissed' });
    expect(byBureau.objectionDetails).toEqual([
      {
        objectionId: first,
        status: 'raised',
        receivedAt: '2026-07-06T15:30:00.000Z',
        receivedOn: '2026-07-06',
        pendingDays: 3,
        objector: { name: '王异议', contact: '13900000001' },
        content: '场地实为仓库',
        sentBy: { id: 'op-rival', role: 'operator' },
        letter: null,
        investigation: null,
        ruling: null,
        refusal: null,
      },
      {
        objectionId: second,
        status: 'dismissed',
        receivedAt: '2026-07-07T01:00:00.000Z',
        receivedOn: '2026-07-07',
        pendingDays: null,
        objector: { name: '赵来信', contact: '长春市朝阳区某街1号' },
        content: '经纪人未在岗',
        sentBy: { id: 'bureau-1', role: 'city_bureau' },
        letter: { reference: '长科收〔2026〕201号', enteredAt: '2026-07-07T07:00:00.000Z' },
        investigation: { startedAt: '2026-07-08T02:00:00.000Z', note: '调取考勤记录' },
        ruling: {
          upheld: false,
          reason: '考勤记录显示经纪人在岗，异议不成立',
          ruledAt: '2026-07-08T02:00:00.000Z',
        },
        refusal: null,
      },
    ]);
    const auditor = await review.token({ role: 'auditor', sub: 'auditor-1' });
    expect((await read(auditor)).objectionDetails).toEqual(byBureau.objectionDetails);

    // As the registry's trail shows the center objections: an applicant who knows who objected can press them.
    const W = '(withheld)';
    // Who objected and sent it, and what they wrote (the ruling's reason is the bureau's, shown).
    const SAID = ['王异议', '13900000001', '赵来信', '某街1号', '仓库', '未在岗', 'op-rival', '201号'];
    const [raised, ruled] = byBureau.objectionDetails;
    const withheld = { objector: { name: W, contact: W }, content: W, sentBy: { id: W, role: W } };
    const operator = await review.token({ role: 'operator', centerId: id, sub: 'op-own' });
    const expert = await review.token({ role: 'expert', sub: 'ox' });
    for (const token of [operator, office, expert]) {
      const seen = await read(token);
      expect(seen.objectionDetails).toEqual([
        { ...raised, ...withheld },
        {
          ...ruled,
          ...withheld,
          letter: { reference: W, enteredAt: W },
          investigation: { startedAt: '2026-07-08T02:00:00.000Z', note: W },
        },
      ]);
      for (const told of SAID) expect(JSON.stringify(seen)).not.toContain(told);
    }
  });
});

/** A9.4 objections have a limit of their own per client: each is stored for good and must be ruled on. */
describe('objections per client', () => {
  const environment = testEnvironment(uniqueName('review-objection-limit'));
  let review: ServiceUnderTest;

  beforeAll(async () => {
    await createTestTopics([serviceTopic('intake', environment.topicPrefix)]);
    review = await startService('review', environment, (env) =>
      ReviewModule.forRoot(loadReviewConfig(env), { ...env, SECURITY_OBJECTION_RATE_LIMIT: '2' }),
    );
  });
  afterAll(async () => {
    await review?.close();
  });

  it('answers 429 past SECURITY_OBJECTION_RATE_LIMIT, while the other public routes keep their own limit', async () => {
    const http = () => request(review.app.getHttpServer());
    const object = () =>
      http()
        .post(`/candidacies/${uuidv7()}/objections`)
        .send({ objector: { name: '张三', contact: '13800000000' }, content: '场地不实' });
    expect((await object()).status).toBe(404);
    expect((await object()).status).toBe(404);
    const limited = await object();
    expect(limited.status).toBe(429);
    expect(
      Number(limited.headers['retry-after-objections'] ?? limited.headers['retry-after']),
    ).toBeGreaterThan(60);
    await http().get('/publicity').expect(200);
  });
});
