import type { Logger } from '@nestjs/common';
import request from 'supertest';
import {
  AssessmentEventTypes,
  ReportingEventTypes,
  ReviewEventTypes,
  serviceTopic,
  uuidv7,
} from '@nqpf/contracts';
import { createKafka } from '@nqpf/messaging';
import { ManualClock, PublishedPolicies } from '@nqpf/platform';
import { defaultPolicy } from '@nqpf/rules';
import {
  eventually,
  foreignEvent,
  inTransaction,
  laterPolicy,
  publishEvent,
  recognitionPayload,
  ServiceUnderTest,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { loadReportingConfig } from '../config';
import { ReportingModule } from '../reporting.module';
import { PostgresEventStore, toDomainEvent } from '@nqpf/event-store';
import { eligibleFacts } from '../domain/obligations/eligible-facts.fixture';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import { ObligationsExecutor } from './obligations.executor';
import { obligationsStream, REPORTING_SYSTEM } from './obligations.stream';
import { OperatingDeadlineTimer } from './operating-deadline.timer';
import { ReportDeadlineTimer } from './report-deadline.timer';
import { rearmOperatingDeadlinesFiredEarly } from './operating-deadlines.store';
import { rearmOwedAfterRevocation, restoreReportDeadlines } from './report-deadlines.store';
import { ReportingConsumer } from './reporting.consumer';

/** Reporting on real PostgreSQL and Kafka, with a clock the test moves. */
describe('reporting service: obligations over HTTP, Kafka and stored deadlines', () => {
  const environment = testEnvironment(uniqueName('reporting'));
  const clock = new ManualClock(new Date('2026-03-10T09:00:00+08:00'));
  let service: ServiceUnderTest;
  const kafka = createKafka('reporting-int-test', testInfra().kafkaBrokers);
  const http = () => request(service.app.getHttpServer());
  const at = (isoDate: string) => clock.set(`${isoDate}T10:00:00+08:00`);

  beforeAll(async () => {
    service = await startService('reporting', environment, (env) =>
      ReportingModule.forRoot(loadReportingConfig({ ...env, REPORTING_TIMER_INTERVAL_MS: '0' }), env, {
        clock,
      }),
    );
    await recognise(); // warm-up: the consumer group is running once this is seen
    consumerBudgetMs = 20_000;
  }, 120_000);
  afterAll(async () => service?.close());

  /** A consumer joining its group on fresh topics can take a while on a busy broker. */
  let consumerBudgetMs = 90_000;

  /** The 404 of a center not recognised: what a center outside the reader's scope answers too. */
  const unknownCenter = (centerId: string) => ({
    statusCode: 404,
    error: 'not_found',
    message: `recognised center ${centerId} not found`,
    what: 'recognised center',
    id: centerId,
  });

  /**
   * A read of a 朝阳区 center as its obligations are read: its district office, the bureau and auditors get
   * `body`; another district's office and another center's operator the unknown center's 404.
   */
  async function expectReadAsObligations(
    centerId: string,
    read: (token: string) => request.Test,
    body: unknown,
  ): Promise<void> {
    for (const role of [
      { role: 'district_office', district: '朝阳区' },
      { role: 'city_bureau' },
      { role: 'auditor' },
    ] as const)
      expect((await read(await service.token(role)).expect(200)).body).toEqual(body);
    for (const stranger of [
      await service.token({ role: 'district_office', district: '南关区' }),
      await service.token({ role: 'operator', centerId: uuidv7() }),
    ])
      expect((await read(stranger).expect(404)).body).toEqual(unknownCenter(centerId));
  }

  /** The center's obligations as the bureau reads them. */
  async function obligationsOf(centerId: string) {
    const bureau = await service.token({ role: 'city_bureau' });
    return http()
      .get(`/centers/${centerId}/obligations`)
      .set('authorization', `Bearer ${bureau}`)
      .expect(200);
  }

  async function recognise(district = '朝阳区'): Promise<string> {
    const centerId = uuidv7();
    await publishEvent(kafka, serviceTopic('review', environment.topicPrefix), 'review.center-recognized', {
      centerId,
      recognitionDate: '2026-03-10',
      district,
      operator: { accountId: 'op-1', name: '运营公司', creditCode: '91220101MA14ABCD0Y' },
      callId: 'call-1',
    });
    const bureau = await service.token({ role: 'city_bureau' });
    await eventually(
      () =>
        http().get(`/centers/${centerId}/obligations`).set('authorization', `Bearer ${bureau}`).expect(200),
      consumerBudgetMs,
    );
    return centerId;
  }

  it('opens obligations on recognition with the first deadlines', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    const res = await http()
      .get(`/centers/${centerId}/obligations`)
      .set('authorization', `Bearer ${operator}`)
      .expect(200);
    expect(res.body).toMatchObject({ status: 'recognised', recognizedOn: '2026-03-10', district: '朝阳区' });
    expect(res.body.reports).toEqual([
      expect.objectContaining({ period: '2026', dueOn: '2027-01-31', filed: false }),
      expect.objectContaining({ period: '2026-Q1', dueOn: '2026-04-15', filed: false }),
    ]);
  });

  it('files an annual report on 31 January on time and on 1 February late', async () => {
    const onTime = await recognise();
    const late = await recognise();
    const body = {
      kind: 'annual',
      year: 2026,
      content: { targetsMet: '完成', fundsUse: '房租费', problems: '无', nextYearPlan: '扩大路演' },
    };
    at('2027-01-31');
    const first = await http()
      .post(`/centers/${onTime}/reports`)
      .set('authorization', `Bearer ${await service.token({ role: 'operator', centerId: onTime })}`)
      .send(body)
      .expect(201);
    expect(first.body.recorded[0].payload).toMatchObject({ late: false, dueOn: '2027-01-31' });
    at('2027-02-01');
    const second = await http()
      .post(`/centers/${late}/reports`)
      .set('authorization', `Bearer ${await service.token({ role: 'operator', centerId: late })}`)
      .send(body)
      .expect(201);
    expect(second.body.recorded[0].payload).toMatchObject({ late: true });
  });

  it('files an annual report at its documented maxima in Chinese (4 × 20 000 characters), also with every character escaped; over 512 kB, and over 100 kB elsewhere, is a 413 naming the limit in bytes', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    const post = (path: string, json: string) =>
      http()
        .post(`/centers/${centerId}/${path}`)
        .set('authorization', `Bearer ${operator}`)
        .set('content-type', 'application/json')
        .send(json);
    const annual = (char: string, extra = {}) => ({
      kind: 'annual',
      year: 2026,
      content: {
        targetsMet: char.repeat(20_000),
        fundsUse: char.repeat(20_000),
        problems: char.repeat(20_000),
        nextYearPlan: char.repeat(20_000),
      },
      ...extra,
    });
    at('2027-01-20');
    const utf8 = JSON.stringify(annual('长'));
    expect(Buffer.byteLength(utf8)).toBeGreaterThan(240_000);
    await post('reports', utf8).expect(201);
    // As Python's json.dumps sends it by default: each character a six-byte escape (\u957f); a reason beside.
    const escaped = JSON.stringify(annual('发', { reason: '补'.repeat(4000) })).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(Buffer.byteLength(escaped)).toBeGreaterThan(500_000);
    const corrected = await post('reports', escaped).expect(201);
    expect(corrected.body.recorded[0]).toMatchObject({ type: 'reporting.report-corrected' });
    // One field over its 20 000 characters is the field's 400, not the body's 413.
    const overField = annual('改', { reason: '再改' });
    overField.content.problems = '改'.repeat(20_001);
    expect((await post('reports', JSON.stringify(overField)).expect(400)).body).toMatchObject({
      field: 'content.problems',
    });
    // Routes match whatever the path's case, as Express routes them: the report's limit too.
    expect((await post('Reports', JSON.stringify(overField)).expect(400)).body).toMatchObject({
      field: 'content.problems',
    });
    const tooLarge = await post(
      'reports',
      JSON.stringify(annual('x', { reason: 'x'.repeat(450_000) })),
    ).expect(413);
    expect(tooLarge.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message:
        'request body too large: this route takes at most 524288 bytes of JSON (counted after any Content-Encoding is undone)',
      field: 'body',
      limitBytes: 524_288,
    });
    // Every other route keeps SECURITY_BODY_LIMIT (100kb), and says so.
    const activity = JSON.stringify({ activityId: 'a1', title: '路演'.repeat(30_000) });
    expect((await post('activities', activity).expect(413)).body).toMatchObject({
      field: 'body',
      limitBytes: 102_400,
    });
  });

  it('files Q2 2026 again only with a reason (a correction): without one, or blank, 400 naming reason and nothing recorded', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    const file = (body: Record<string, unknown>) =>
      http()
        .post(`/centers/${centerId}/reports`)
        .set('authorization', `Bearer ${operator}`)
        .send({
          kind: 'quarterly',
          year: 2026,
          quarter: 2,
          ...body,
        });
    at('2026-07-02');
    await file({ content: { majorActivities: '路演6场', importantResults: '促成技术合同1项' } }).expect(201);
    at('2026-07-10');
    const corrected = { content: { majorActivities: '路演8场', importantResults: '促成技术合同2项' } };
    // An RTL override and a zero-width space: nothing to read.
    for (const reason of [undefined, '', '   ', '\u202E\u200B']) {
      const refused = await file({ ...corrected, ...(reason === undefined ? {} : { reason }) }).expect(400);
      expect(refused.body).toMatchObject({ error: 'invalid_input', field: 'reason' });
      expect(refused.body.message).toContain('A14: a correction of report 2026-Q2');
    }
    const bureau = await service.token({ role: 'city_bureau' });
    const read = async () =>
      (
        await http()
          .get(`/centers/${centerId}/obligations`)
          .set('authorization', `Bearer ${bureau}`)
          .expect(200)
      ).body.reports.find((r: { period: string }) => r.period === '2026-Q2');
    expect((await read()).revisions).toHaveLength(1);
    const accepted = await file({ ...corrected, reason: '补充第二季度成果数据' }).expect(201);
    expect(accepted.body.recorded[0]).toMatchObject({
      type: 'reporting.report-corrected',
      payload: { revision: 2, supersedesRevision: 1, reason: '补充第二季度成果数据' },
    });
    expect((await read()).revisions).toHaveLength(2);
  });

  it('marks a quarterly report missing at its due date overdue when the stored deadline fires', async () => {
    const centerId = await recognise();
    const timer = service.app.get(ReportDeadlineTimer);
    at('2026-04-15');
    await timer.tick();
    const bureau = await service.token({ role: 'city_bureau' });
    const before = await http()
      .get(`/centers/${centerId}/obligations`)
      .set('authorization', `Bearer ${bureau}`)
      .expect(200);
    expect(before.body.reports).toContainEqual(
      expect.objectContaining({ period: '2026-Q1', overdue: false }),
    );
    at('2026-04-16');
    expect(await timer.tick()).toBeGreaterThanOrEqual(1);
    const after = await http()
      .get(`/centers/${centerId}/obligations`)
      .set('authorization', `Bearer ${bureau}`)
      .expect(200);
    expect(after.body.reports).toContainEqual(expect.objectContaining({ period: '2026-Q1', overdue: true }));
    expect(after.body.reports).toContainEqual(
      expect.objectContaining({ period: '2026-Q2', dueOn: '2026-07-15' }),
    );
  });

  describe('after a revocation (A17.3b, dated 2026-04-10): the reports of periods lived before it', () => {
    /** assessment.center-revoked as reporting's consumer reads it. */
    const revoke = (centerId: string, revokedOn = '2026-04-10') =>
      inTransaction(service.db.pool, (tx) =>
        service.app.get(ReportingConsumer).handle(
          foreignEvent(AssessmentEventTypes.CenterRevoked, centerId, {
            centerId,
            revokedOn,
            ruleId: 'A17.3b',
            reason: 'consecutive-unqualified',
            explanation: { zh: '连续两年考核不合格', en: 'unqualified two years in a row' },
          }),
          tx,
        ),
      );
    const q1 = {
      kind: 'quarterly',
      year: 2026,
      quarter: 1,
      content: { majorActivities: '路演3场', importantResults: '签约1项' },
    };
    const file = async (centerId: string, body: object, status: number) =>
      http()
        .post(`/centers/${centerId}/reports`)
        .set('authorization', `Bearer ${await service.token({ role: 'operator', centerId })}`)
        .send(body)
        .expect(status);
    const listed = async (centerId: string) =>
      (await obligationsOf(centerId)).body.reports.map(
        (r: { period: string; state: string }) => `${r.period}:${r.state}`,
      );

    it('accepts the 2026-Q1 report (ended 03-31) on time, and refuses 2026-Q2 with a 409 naming the revocation', async () => {
      const centerId = await recognise();
      await revoke(centerId);
      expect(await listed(centerId)).toEqual(['2026-Q1:due']);
      at('2026-04-12');
      const filed = await file(centerId, q1, 201);
      expect(filed.body.recorded[0].payload).toMatchObject({
        period: '2026-Q1',
        dueOn: '2026-04-15',
        late: false,
      });
      expect(await listed(centerId)).toEqual(['2026-Q1:filed']);
      at('2026-07-02');
      const refused = await file(centerId, { ...q1, quarter: 2 }, 409);
      expect(refused.body).toMatchObject({ error: 'illegal_transition' });
      expect(refused.body.message).toContain(
        'cannot file quarterly report when center revoked on 2026-04-10 (A17.3b); recognition is revoked for good, and period 2026-Q2 ended after that day',
      );
    });

    it('records it overdue when its deadline passes unfiled, and accepts it late then', async () => {
      const centerId = await recognise();
      await revoke(centerId);
      at('2026-04-16');
      expect(await service.app.get(ReportDeadlineTimer).tick()).toBeGreaterThanOrEqual(1);
      expect(await listed(centerId)).toEqual(['2026-Q1:overdue']);
      at('2026-04-20');
      expect((await file(centerId, q1, 201)).body.recorded[0].payload).toMatchObject({ late: true });
      expect(await listed(centerId)).toEqual(['2026-Q1:filed_late']);
    });

    it('fires again, at start, a deadline an older release passed without effect after the revocation', async () => {
      const centerId = await recognise();
      await revoke(centerId);
      // As an older release left it: the deadline marked fired, nothing recorded.
      const fired = () =>
        service.db.pool.query(
          `select fired_at from reporting.report_deadlines where center_id = $1 and period = '2026-Q1'`,
          [centerId],
        );
      await service.db.pool.query(
        `update reporting.report_deadlines set fired_at = now() where center_id = $1 and period = '2026-Q1'`,
        [centerId],
      );
      expect(
        await rearmOwedAfterRevocation(service.db.pool, 'event_store', () => undefined),
      ).toBeGreaterThanOrEqual(1);
      expect((await fired()).rows).toEqual([{ fired_at: null }]);
      at('2026-04-16');
      await service.app.get(ReportDeadlineTimer).tick();
      expect(await listed(centerId)).toEqual(['2026-Q1:overdue']);
      expect((await fired()).rows[0].fired_at).not.toBeNull();
      await rearmOwedAfterRevocation(service.db.pool, 'event_store', () => undefined);
      expect((await fired()).rows[0].fired_at).not.toBeNull();
    });
  });

  it('restores, at start, the deadlines of a store refilled after a restore (events without their rows)', async () => {
    const centerId = await recognise();
    const rows = () =>
      service.db.pool.query(
        `select period, due_on::text as due_on from reporting.report_deadlines where center_id = $1`,
        [centerId],
      );
    const scheduled = (await rows()).rows;
    expect(scheduled).toContainEqual({ period: '2026-Q1', due_on: '2026-04-15' });
    await service.db.pool.query('delete from reporting.report_deadlines where center_id = $1', [centerId]);
    expect(
      await restoreReportDeadlines(service.db.pool, 'event_store', () => undefined),
    ).toBeGreaterThanOrEqual(scheduled.length);
    expect((await rows()).rows).toEqual(scheduled);
    expect(await restoreReportDeadlines(service.db.pool, 'event_store', () => undefined)).toBe(0);
  });

  it('leaves, at start, a deadline of a schema version it does not know to a newer replica, and says so', async () => {
    const centerId = uuidv7();
    // A newer release's breaking change (the due day moved), then a rollback: its payload is not read as v1.
    await service.app.get(PostgresEventStore).append(
      obligationsStream(centerId),
      [
        {
          type: ReportingEventTypes.ReportDueScheduled,
          schemaVersion: 2,
          payload: { centerId, period: '2026-Q1', due: { on: '2026-04-15' } },
        },
      ],
      { expectedVersion: 'no_stream', actor: REPORTING_SYSTEM, correlationId: uuidv7(), centerId },
    );
    const logged: string[] = [];
    await restoreReportDeadlines(service.db.pool, 'event_store', (line) => logged.push(line));
    const rows = await service.db.pool.query(
      'select 1 from reporting.report_deadlines where center_id = $1',
      [centerId],
    );
    expect(rows.rows).toEqual([]);
    expect(logged).toEqual([
      '1 reporting.report-due-scheduled event of a schema version this build does not know (it reads 1) left to a newer replica',
    ]);
  });

  it('re-arms, at start, no deadline owed after a revocation whose events are of a schema version it does not know, and says so once', async () => {
    const store = service.app.get(PostgresEventStore);
    const T = ReportingEventTypes;
    const center = async (...events: { type: string; schemaVersion: number; payload: object }[]) => {
      const centerId = uuidv7();
      await store.append(
        obligationsStream(centerId),
        events.map((e) => ({ ...e, payload: { centerId, ...e.payload } })),
        { expectedVersion: 'no_stream', actor: REPORTING_SYSTEM, correlationId: uuidv7(), centerId },
      );
      // As an older release left it after the revocation: the deadline marked fired, nothing recorded.
      await service.db.pool.query(
        `insert into reporting.report_deadlines (center_id, period, due_on, fired_at)
         values ($1, '2026-Q1', '2026-04-15', now())`,
        [centerId],
      );
      return centerId;
    };
    const scheduled = (schemaVersion: number) => ({
      type: T.ReportDueScheduled,
      schemaVersion,
      payload: {
        kind: 'quarterly',
        period: '2026-Q1',
        periodEnd: '2026-03-31',
        dueOn: '2026-04-15',
        follows: null,
      },
    });
    const ended = (schemaVersion: number) => ({
      type: T.ObligationsEnded,
      schemaVersion,
      payload: { endedOn: '2026-04-10', ruleId: 'A17.3b', reason: 'consecutive-unqualified' },
    });
    // A newer release's breaking changes, then a rollback: an ending whose fields keep v1's names (what
    // they mean is that release's), and a filing whose period moved — read as v1, no filing of 2026-Q1.
    const endedByNewer = await center(scheduled(1), ended(2));
    const filedByNewer = await center(scheduled(1), ended(1), {
      type: T.ReportFiled,
      schemaVersion: 2,
      payload: { report: { period: '2026-Q1' } },
    });
    const scheduledByNewer = await center(scheduled(2), ended(1));
    const centers = [endedByNewer, filedByNewer, scheduledByNewer];
    const stillFired = async () =>
      (
        await service.db.pool.query(
          `select center_id from reporting.report_deadlines where center_id = any($1) and fired_at is not null`,
          [centers],
        )
      ).rows
        .map((r) => r.center_id)
        .sort();
    const logged: string[] = [];
    await rearmOwedAfterRevocation(service.db.pool, 'event_store', (line) => logged.push(line));
    expect(await stillFired()).toEqual([...centers].sort());
    const left = (type: string) =>
      expect.stringMatching(
        new RegExp(
          `^\\d+ ${type} events? of a schema version this build does not know \\(it reads 1\\) left to a newer replica$`,
        ),
      );
    expect(logged).toEqual(
      expect.arrayContaining([left(T.ObligationsEnded), left(T.ReportDueScheduled), left(T.ReportFiled)]),
    );
    // At start the restore and the re-arm both read report-due-scheduled: its line is logged once.
    const timer = service.app.get(ReportDeadlineTimer);
    const errors = jest.spyOn((timer as unknown as { logger: Logger }).logger, 'error').mockReturnValue();
    try {
      await timer.onApplicationBootstrap();
      const lines = errors.mock.calls.map(([line]) => line as string);
      expect(lines.filter((l) => l.includes(` ${T.ReportDueScheduled} `))).toHaveLength(1);
      expect(lines).toEqual(expect.arrayContaining([left(T.ObligationsEnded), left(T.ReportFiled)]));
    } finally {
      errors.mockRestore();
    }
    expect(await stillFired()).toEqual([...centers].sort());
  });

  it('keeps operators to their own center and district offices to their district (others: not found)', async () => {
    const centerId = await recognise('南关区');
    const other = await service.token({ role: 'operator', centerId: uuidv7() });
    await http().get(`/centers/${centerId}/obligations`).set('authorization', `Bearer ${other}`).expect(404);
    at('2026-06-02');
    const wrongDistrict = await service.token({ role: 'district_office', district: '朝阳区' });
    await http()
      .post(`/centers/${centerId}/operation-start/confirm`)
      .set('authorization', `Bearer ${wrongDistrict}`)
      .send({ basis: '现场核查' })
      .expect(404);
  });

  it('lets the bureau confirm or reject a declared start of any district, recorded as its act; operators and experts 403, another district 404', async () => {
    // A17.3a revokes on the fact: the bureau, which revokes (RULES "Actors"), judges a start the office
    // has not, for a center of any district.
    const confirmedCenter = await recognise('高新区');
    const rejectedCenter = await recognise('南关区');
    const bureau = await service.token({ role: 'city_bureau', sub: 'bureau-a17' });
    at('2026-06-02');
    for (const centerId of [confirmedCenter, rejectedCenter])
      await http()
        .post(`/centers/${centerId}/operation-start`)
        .set('authorization', `Bearer ${await service.token({ role: 'operator', centerId })}`)
        .send({ startedOn: '2026-06-01' })
        .expect(200);
    const judge = (centerId: string, action: 'confirm' | 'reject', token: string, body: object) =>
      http()
        .post(`/centers/${centerId}/operation-start/${action}`)
        .set('authorization', `Bearer ${token}`)
        .send(body);
    const confirmBody = { startedOn: '2026-06-01', basis: '2026-06-02 市科技局现场核查：运营团队在岗' };
    const rejectBody = { startedOn: '2026-06-01', reason: '市科技局现场核查：场地未启用' };
    // Not the operator's (its own center) nor an expert's act: 403; another district's office: the 404.
    for (const token of [
      await service.token({ role: 'operator', centerId: confirmedCenter }),
      await service.token({ role: 'expert' }),
    ]) {
      await judge(confirmedCenter, 'confirm', token, confirmBody).expect(403);
      await judge(confirmedCenter, 'reject', token, rejectBody).expect(403);
    }
    const otherOffice = await service.token({ role: 'district_office', district: '南关区' });
    expect((await judge(confirmedCenter, 'confirm', otherOffice, confirmBody).expect(404)).body).toEqual(
      unknownCenter(confirmedCenter),
    );
    await judge(confirmedCenter, 'reject', otherOffice, rejectBody).expect(404);
    // The basis and the reason are required of the bureau as of the office.
    expect((await judge(confirmedCenter, 'confirm', bureau, {}).expect(400)).body).toMatchObject({
      field: 'basis',
    });
    expect((await judge(rejectedCenter, 'reject', bureau, {}).expect(400)).body).toMatchObject({
      field: 'reason',
    });
    const confirmed = await judge(confirmedCenter, 'confirm', bureau, confirmBody).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'operating' });
    const rejected = await judge(rejectedCenter, 'reject', bureau, rejectBody).expect(200);
    expect(rejected.body.recorded.map((e: { type: string }) => e.type)).toEqual([
      'reporting.operation-start-rejected',
    ]);
    // The trail shows who judged: the bureau's account, as the bureau, with no district.
    const recorded = async (centerId: string, type: string) =>
      (
        await service.db.pool.query(
          `select actor, payload from event_store.events where stream_id = $1 and type = $2`,
          [obligationsStream(centerId), type],
        )
      ).rows;
    const asBureau = expect.objectContaining({ id: 'bureau-a17', role: 'city_bureau' });
    const started = await recorded(confirmedCenter, 'reporting.operation-started');
    expect(started).toEqual([
      { actor: asBureau, payload: expect.objectContaining({ basis: confirmBody.basis }) },
    ]);
    expect(started[0].actor.district ?? null).toBeNull();
    expect(await recorded(rejectedCenter, 'reporting.operation-start-rejected')).toEqual([
      { actor: asBureau, payload: expect.objectContaining({ reason: rejectBody.reason }) },
    ]);
    const obligations = await http()
      .get(`/centers/${rejectedCenter}/obligations`)
      .set('authorization', `Bearer ${bureau}`)
      .expect(200);
    expect(obligations.body).toMatchObject({
      status: 'recognised',
      lastStartRejection: { startedOn: '2026-06-01', rejectedOn: '2026-06-02', reason: rejectBody.reason },
    });
  });

  it('records operation start declared by the operator and confirmed by the district with its written basis, 409 when repeated', async () => {
    const centerId = await recognise('南关区');
    const operator = await service.token({ role: 'operator', centerId });
    const district = await service.token({ role: 'district_office', district: '南关区' });
    at('2026-06-02');
    await http()
      .post(`/centers/${centerId}/operation-start`)
      .set('authorization', `Bearer ${operator}`)
      .send({ startedOn: '2026-06-01' })
      .expect(200);
    const confirm = (body: object) =>
      http()
        .post(`/centers/${centerId}/operation-start/confirm`)
        .set('authorization', `Bearer ${district}`)
        .send(body);
    const started = async () =>
      (
        await service.db.pool.query(
          `select payload from event_store.events where stream_id = $1 and type = 'reporting.operation-started'`,
          [obligationsStream(centerId)],
        )
      ).rows.map((r) => r.payload);
    // What the confirmation rests on is written down, as a rejection's reason is (A17.3a).
    for (const body of [{}, { basis: '' }, { basis: '  ' }, { basis: 7 }]) {
      const refused = await confirm(body).expect(400);
      expect(refused.body).toMatchObject({ error: 'invalid_input', field: 'basis' });
    }
    expect(await started()).toEqual([]);
    const basis = '2026-06-02 现场核查：服务大厅开放，运营团队在岗（核查记录 NG-2026-031）';
    const confirmed = await confirm({ basis: ` ${basis} ` }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'operating' });
    expect(await started()).toEqual([expect.objectContaining({ basis, confirmedOn: '2026-06-02' })]);
    const again = await confirm({ basis }).expect(409);
    expect(again.body).toMatchObject({ error: 'illegal_transition' });
  });

  it('names a bad field with a 400', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    at('2026-06-02');
    const res = await http()
      .post(`/centers/${centerId}/activities`)
      .set('authorization', `Bearer ${operator}`)
      .send({
        type: 'roadshow',
        heldOn: '2026-06-03',
        title: '路演',
        participants: 3,
        evidenceHash: 'a'.repeat(64),
      })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('heldOn');
  });

  it('logs an activity once for a retried request with the same Idempotency-Key', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId, sub: 'op-idem' });
    at('2026-06-02');
    const send = () =>
      http()
        .post(`/centers/${centerId}/activities`)
        .set('authorization', `Bearer ${operator}`)
        .set('idempotency-key', `activity-${centerId}`)
        .send({
          type: 'matchmaking',
          heldOn: '2026-06-01',
          title: '对接会',
          participants: 12,
          evidenceHash: 'd'.repeat(64),
        });
    const first = await send().expect(201);
    const second = await send().expect(201);
    expect(second.body).toEqual(first.body);
    const view = await obligationsOf(centerId);
    expect(view.body.activitiesByYear).toEqual({ 2026: 1 });
  });

  it('counts an activity posted again without Idempotency-Key once: 409 naming the first', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    at('2026-06-02');
    const send = () =>
      http()
        .post(`/centers/${centerId}/activities`)
        .set('authorization', `Bearer ${operator}`)
        .send({
          type: 'roadshow',
          heldOn: '2026-06-01',
          title: '新材料项目路演',
          participants: 30,
          evidenceHash: 'f'.repeat(64),
        });
    const first = await send().expect(201);
    const again = await send().expect(409);
    expect(again.body).toMatchObject({ error: 'illegal_transition' });
    expect(again.body.message).toContain(`activity ${first.body.id} held on 2026-06-01`);
    const view = await obligationsOf(centerId);
    expect(view.body.activitiesByYear).toEqual({ 2026: 1 });
  });

  it('refuses a quarterly report on the last day of the quarter (422) and files it the day after', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    const body = {
      kind: 'quarterly',
      year: 2026,
      quarter: 1,
      content: { majorActivities: '路演3场', importantResults: '签约1项' },
    };
    at('2026-03-31');
    const refused = await http()
      .post(`/centers/${centerId}/reports`)
      .set('authorization', `Bearer ${operator}`)
      .send(body)
      .expect(422);
    expect(refused.body).toMatchObject({ error: 'rule_violation', rule: 'A14' });
    at('2026-04-01');
    await http()
      .post(`/centers/${centerId}/reports`)
      .set('authorization', `Bearer ${operator}`)
      .send(body)
      .expect(201);
  });

  it('files a report sent at 23:59 on its due day on time though the deadline timer appends first at midnight', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    const executor = service.app.get(ObligationsExecutor);
    const run = executor.run.bind(executor);
    // Between the request's read of the stream and its append, midnight comes and the timer records the
    // report overdue on the same stream.
    const race = jest.spyOn(executor, 'run').mockImplementationOnce(async (...args) => {
      clock.set('2026-04-16T00:00:00+08:00');
      expect(await service.app.get(ReportDeadlineTimer).tick()).toBeGreaterThanOrEqual(1);
      return run(...args);
    });
    clock.set('2026-04-15T23:59:59.900+08:00');
    try {
      const filed = await http()
        .post(`/centers/${centerId}/reports`)
        .set('authorization', `Bearer ${operator}`)
        .send({
          kind: 'quarterly',
          year: 2026,
          quarter: 1,
          content: { majorActivities: '路演3场', importantResults: '签约1项' },
        })
        .expect(201);
      expect(filed.body.recorded[0].payload).toMatchObject({ dueOn: '2026-04-15', late: false });
    } finally {
      race.mockRestore();
    }
  });

  it('refuses a major change whose facts lack the brokers (no baseline) with a 400 naming them, recording nothing', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    at('2027-04-03');
    // Every fact but the brokers (no baseline here: the recognition event carries no facts).
    const facts = { ...eligibleFacts, team: { staffInPost: 12 } };
    const post = (newFacts: Record<string, unknown>, effectiveOn = '2027-04-01') =>
      http()
        .post(`/centers/${centerId}/major-changes`)
        .set('authorization', `Bearer ${operator}`)
        .send({ changes: ['area_changed'], description: '书面报告', effectiveOn, newFacts });
    const res = await post(facts).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_input', field: 'newFacts.team.brokers' });
    expect(res.body.message).toContain('A6.4');
    expect((await post({ ...facts, foo: 1 }).expect(400)).body).toMatchObject({ field: 'newFacts.foo' });
    const early = await post(
      { ...facts, team: { staffInPost: 12, brokers: { junior: 0, intermediate: 6, senior: 0 } } },
      '2020-01-01',
    ).expect(400);
    expect(early.body).toMatchObject({ field: 'effectiveOn' });
    const view = await obligationsOf(centerId);
    expect(view.body).toMatchObject({ status: 'recognised', majorChanges: {} });
  });

  it("holds a major change's facts to intake's rules, each bad field a 400 naming it and its article, the answer short", async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    at('2027-04-03');
    const post = (newFacts: Record<string, unknown>) =>
      http()
        .post(`/centers/${centerId}/major-changes`)
        .set('authorization', `Bearer ${operator}`)
        .send({
          changes: ['operator_changed'],
          description: '书面报告',
          effectiveOn: '2027-04-01',
          newFacts,
        });
    const long = await post({
      operator: { name: '长'.repeat(30_000), creditCode: '91220101MA14ABCD0Y' },
    }).expect(400);
    expect(long.body).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      field: 'newFacts.operator.name',
      message: 'newFacts.operator.name: A6.4: must be at most 200 characters',
    });
    const code = await post({
      ...eligibleFacts,
      institutions: [{ name: '吉林大学', kind: 'university', creditCode: 'x'.repeat(30_000) }],
    }).expect(400);
    expect(code.body).toMatchObject({ field: 'newFacts.institutions[0].creditCode' });
    expect(code.body.message).toContain('A6.3: must be 18 characters of GB 32100-2015');
    expect(JSON.stringify(code.body).length).toBeLessThan(400);
    const view = await obligationsOf(centerId);
    expect(view.body).toMatchObject({ status: 'recognised', majorChanges: {} });
  });

  it('refuses an area sent as a JSON number (JSON.parse rounds 4999.9999999999999 to 5000) with a 400 naming it and A6.1, recording nothing', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    at('2027-04-03');
    const body = (area: string) =>
      `{"changes":["area_changed"],"description":"书面报告","effectiveOn":"2027-04-01",` +
      `"newFacts":{"premises":{"buildingAreaM2":${area}}}}`;
    for (const area of ['4999.9999999999999', '5600', '"5600.001"']) {
      const res = await http()
        .post(`/centers/${centerId}/major-changes`)
        .set('authorization', `Bearer ${operator}`)
        .set('content-type', 'application/json')
        .send(body(area))
        .expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_input', field: 'newFacts.premises.buildingAreaM2' });
      expect(res.body.message).toContain('A6.1: must be a decimal string of m² with up to two places');
    }
    const view = await obligationsOf(centerId);
    expect(view.body).toMatchObject({ status: 'recognised', majorChanges: {} });
  });

  it('stores the A17.3a deadline of obligations opened before it was kept here, and records it passing', async () => {
    const centerId = uuidv7();
    // obligations-opened as recorded before it carried the deadline (assessment kept it then).
    await service.app.get(PostgresEventStore).append(
      obligationsStream(centerId),
      [
        {
          type: 'reporting.obligations-opened',
          schemaVersion: 1,
          payload: {
            centerId,
            district: '朝阳区',
            operatorId: 'op-1',
            recognizedOn: '2026-03-10',
            policyVersion: 'policy-2026.1',
            facts: null,
          },
        },
      ],
      { expectedVersion: 'no_stream', actor: REPORTING_SYSTEM, correlationId: uuidv7(), centerId },
    );
    const timer = service.app.get(OperatingDeadlineTimer);
    await timer.onApplicationBootstrap(); // a restart of the service: prepare() runs again
    const row = async () =>
      (
        await service.db.pool.query(
          `select deadline::text, start_declarations_close_on::text as close_on, fired_at is not null as fired
             from reporting.operating_deadlines where center_id = $1`,
          [centerId],
        )
      ).rows;
    expect(await row()).toEqual([{ deadline: '2028-03-10', close_on: null, fired: false }]);
    // Claimed the day after the deadline, it learns that a start made by then may be declared until
    // 2028-03-25 (policy-2026.1: 15 days) and waits for that day to end.
    at('2028-03-11');
    await timer.tick();
    expect(await row()).toEqual([{ deadline: '2028-03-10', close_on: '2028-03-25', fired: false }]);
    expect((await obligationsOf(centerId)).body).toMatchObject({ operatingDeadlinePassed: null });
    at('2028-03-25');
    await timer.tick();
    expect((await obligationsOf(centerId)).body).toMatchObject({ operatingDeadlinePassed: null });
    at('2028-03-26');
    await timer.tick();
    expect(await row()).toEqual([{ deadline: '2028-03-10', close_on: '2028-03-25', fired: true }]);
    // The days the decider uses (under the recognition's policy), not null (defect 3).
    expect((await obligationsOf(centerId)).body).toMatchObject({
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
      operatingDeadlinePassed: { passedOn: '2028-03-26', cause: 'deadline' },
    });
    const passed = await service.app.get(PostgresEventStore).readStream(obligationsStream(centerId));
    expect(passed.at(-1)).toMatchObject({
      type: 'reporting.operating-deadline-passed',
      payload: {
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
        policyVersion: 'policy-2026.1',
      },
    });
  });

  it('case 11: a start of 2028-03-10 declared on 2028-03-11 is taken; declarations close on 2028-03-25, and the timer records the deadline passing only after that', async () => {
    const lateNotice = await recognise();
    const lastDay = await recognise();
    const tooLate = await recognise();
    const lateStart = await recognise();
    const never = await recognise();
    const declare = async (centerId: string, startedOn: string, status: number) =>
      http()
        .post(`/centers/${centerId}/operation-start`)
        .set('authorization', `Bearer ${await service.token({ role: 'operator', centerId })}`)
        .send({ startedOn })
        .expect(status);
    const timer = service.app.get(OperatingDeadlineTimer);
    const { rows } = await service.db.pool.query(
      `select deadline::text, start_declarations_close_on::text as close_on
         from reporting.operating_deadlines where center_id = $1`,
      [never],
    );
    expect(rows).toEqual([{ deadline: '2028-03-10', close_on: '2028-03-25' }]);
    expect((await obligationsOf(never)).body).toMatchObject({
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
    });
    at('2028-03-11');
    await timer.tick();
    const taken = await declare(lateNotice, '2028-03-10', 200);
    expect(taken.body.recorded[0].payload).toMatchObject({
      startedOn: '2028-03-10',
      declaredOn: '2028-03-11',
      decision: {
        rule: 'operation-start-declaration',
        policyVersion: 'policy-2026.1',
        outcome: {
          deadline: '2028-03-10',
          declarationDays: 15,
          declarationsCloseOn: '2028-03-25',
          accepted: true,
        },
      },
    });
    const refusedLateStart = await declare(lateStart, '2028-03-11', 422);
    expect(refusedLateStart.body).toMatchObject({ rule: 'A17.3', field: 'startedOn' });
    at('2028-03-25');
    await timer.tick();
    await declare(lastDay, '2028-03-10', 200);
    at('2028-03-26');
    const refusedTooLate = await declare(tooLate, '2028-03-10', 422);
    expect(refusedTooLate.body).toMatchObject({
      rule: 'A17.3',
      startDeclarationsCloseOn: '2028-03-25',
      operationStartDeclarationDays: 15,
    });
    await timer.tick();
    for (const centerId of [tooLate, lateStart, never])
      expect((await obligationsOf(centerId)).body).toMatchObject({
        operatingDeadlinePassed: { passedOn: '2028-03-26', cause: 'deadline' },
      });
    for (const centerId of [lateNotice, lastDay])
      expect((await obligationsOf(centerId)).body).toMatchObject({
        declaredStart: { startedOn: '2028-03-10' },
        operatingDeadlinePassed: null,
      });
    // The same answer after the timer recorded the deadline: the dates decide, not the tick (defect 6).
    const afterTimer = await declare(tooLate, '2028-03-10', 422);
    expect(afterTimer.body).toEqual(refusedTooLate.body);
    expect(refusedTooLate.body).not.toHaveProperty('field');
    expect(refusedTooLate.body).toMatchObject({ declaredOn: '2028-03-26' });
    expect(refusedTooLate.body.message).toContain('no field of the request can change this');
  });

  it('re-arms at start a deadline the release before marked fired while a start awaited the office: rejected inside the window and not declared again, the timer records it after declarations close', async () => {
    const store = service.app.get(PostgresEventStore);
    const timer = service.app.get(OperatingDeadlineTimer);
    const db = service.db.pool;
    /** A center as the release before recorded it: obligations-opened without the last day to declare. */
    const before = async (...more: { type: string; payload: Record<string, unknown> }[]) => {
      const centerId = uuidv7();
      await store.append(
        obligationsStream(centerId),
        [
          {
            type: 'reporting.obligations-opened',
            schemaVersion: 1,
            payload: {
              centerId,
              district: '朝阳区',
              operatorId: 'op-1',
              recognizedOn: '2026-03-10',
              policyVersion: 'policy-2026.1',
              operatingDeadline: '2028-03-10',
              facts: null,
            },
          },
          ...more.map((e) => ({ ...e, schemaVersion: 1, payload: { centerId, ...e.payload } })),
        ],
        { expectedVersion: 'no_stream', actor: REPORTING_SYSTEM, correlationId: uuidv7(), centerId },
      );
      // Its row as the release before left it: marked fired the day after the deadline, unconditionally.
      await db.query(
        `insert into reporting.operating_deadlines (center_id, deadline, fired_at)
         values ($1, '2028-03-10', '2028-03-11T00:00:10+08:00')`,
        [centerId],
      );
      return centerId;
    };
    const declared = { startedOn: '2028-03-10', declaredOn: '2028-03-10' };
    const pending = await before({ type: 'reporting.operation-start-declared', payload: declared });
    const passed = await before({
      type: 'reporting.operating-deadline-passed',
      payload: {
        recognizedOn: '2026-03-10',
        operatingDeadline: '2028-03-10',
        policyVersion: 'policy-2026.1',
        passedOn: '2028-03-11',
        cause: 'deadline',
        startedOn: null,
        declaredStart: null,
      },
    });
    const row = async (centerId: string) =>
      (
        await db.query(
          `select start_declarations_close_on::text as "closeOn", fired_at is not null as fired
             from reporting.operating_deadlines where center_id = $1`,
          [centerId],
        )
      ).rows[0];
    // The deploy on 2028-03-12: the timer prepares once more (a restart). Claimed again, the row learns the
    // last day to declare from the stream; the one whose stream recorded the deadline stays fired.
    at('2028-03-12');
    await timer.onApplicationBootstrap();
    await timer.tick();
    expect(await row(pending)).toEqual({ closeOn: '2028-03-25', fired: false });
    expect(await row(passed)).toEqual({ closeOn: null, fired: true });
    // The district office rejects inside the window: only the rejection is recorded.
    at('2028-03-14');
    const office = await service.token({ role: 'district_office', district: '朝阳区' });
    const rejected = await http()
      .post(`/centers/${pending}/operation-start/reject`)
      .set('authorization', `Bearer ${office}`)
      .send({ reason: '现场核查未见运营团队在岗' })
      .expect(200);
    expect(rejected.body.recorded.map((e: { type: string }) => e.type)).toEqual([
      'reporting.operation-start-rejected',
    ]);
    // Another replica starting (or a second restart) changes nothing.
    await timer.onApplicationBootstrap();
    at('2028-03-25');
    await timer.tick();
    expect((await obligationsOf(pending)).body).toMatchObject({ operatingDeadlinePassed: null });
    at('2028-03-26');
    await timer.tick();
    expect((await obligationsOf(pending)).body).toMatchObject({
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
      operatingDeadlinePassed: { passedOn: '2028-03-26', cause: 'deadline' },
    });
    expect((await store.readStream(obligationsStream(passed))).length).toBe(2);
    await timer.onApplicationBootstrap();
    await timer.tick();
    const pendingStream = await store.readStream(obligationsStream(pending));
    expect(pendingStream.filter((e) => e.type === 'reporting.operating-deadline-passed')).toHaveLength(1);
    expect(await row(pending)).toEqual({ closeOn: '2028-03-25', fired: true });
  });

  it('re-arms, at start, no operating deadline whose obligations-opened is of a schema version it does not know, and says so once', async () => {
    const centerId = uuidv7();
    // A newer release's obligations-opened (a breaking change), then a rollback; its row as the release
    // before this one would have left it: fired the day after the deadline, without the last day to declare.
    await service.app.get(PostgresEventStore).append(
      obligationsStream(centerId),
      [
        {
          type: ReportingEventTypes.ObligationsOpened,
          schemaVersion: 2,
          payload: { centerId, recognized: { on: '2026-03-10', policyVersion: 'policy-2026.1' } },
        },
      ],
      { expectedVersion: 'no_stream', actor: REPORTING_SYSTEM, correlationId: uuidv7(), centerId },
    );
    await service.db.pool.query(
      `insert into reporting.operating_deadlines (center_id, deadline, fired_at)
       values ($1, '2028-03-10', '2028-03-11T00:00:10+08:00')`,
      [centerId],
    );
    const fired = async () =>
      (
        await service.db.pool.query(
          'select fired_at is not null as fired from reporting.operating_deadlines where center_id = $1',
          [centerId],
        )
      ).rows;
    const line = expect.stringMatching(
      /^\d+ reporting\.obligations-opened events? of a schema version this build does not know \(it reads 1\) left to a newer replica$/,
    );
    const logged: string[] = [];
    await rearmOperatingDeadlinesFiredEarly(service.db.pool, 'event_store', obligationsStream(''), (l) =>
      logged.push(l),
    );
    expect(await fired()).toEqual([{ fired: true }]);
    expect(logged).toEqual([line]);
    // At start the re-arm and the restore of rows both read obligations-opened: its line is logged once.
    const timer = service.app.get(OperatingDeadlineTimer);
    const errors = jest.spyOn((timer as unknown as { logger: Logger }).logger, 'error').mockReturnValue();
    try {
      await timer.onApplicationBootstrap();
      expect(errors.mock.calls).toEqual([[line]]);
    } finally {
      errors.mockRestore();
    }
    expect(await fired()).toEqual([{ fired: true }]);
  });

  it('loads a long obligations stream from its snapshot plus the tail, equal to a full fold', async () => {
    const centerId = await recognise();
    const executor = service.app.get(ObligationsExecutor);
    const meta = { actor: REPORTING_SYSTEM, correlationId: uuidv7(), occurredAt: '2026-06-02T02:00:00.000Z' };
    for (let i = 0; i < 105; i++) {
      await executor.run(
        centerId,
        {
          kind: 'log-activity',
          activityId: `a-${i}`,
          type: 'matchmaking',
          heldOn: '2026-06-01',
          title: `对接会 ${i}`,
          participants: 12,
          evidenceHash: 'e'.repeat(64),
          today: '2026-06-02',
        },
        meta,
      );
    }
    const { rows } = await service.db.pool.query(
      `select stream_version from event_store.snapshots where stream_id = $1`,
      [obligationsStream(centerId)],
    );
    expect(rows).toEqual([{ stream_version: 100 }]);
    const fromSnapshot = await executor.load(centerId);
    const events = await service.app.get(PostgresEventStore).readStream(obligationsStream(centerId));
    expect(fromSnapshot.version).toBe(events.length);
    expect(fromSnapshot.state).toEqual(
      events.reduce(
        (s, e) => obligationsDecider.evolve(s, toDomainEvent(e)),
        obligationsDecider.initialState(),
      ),
    );
  });

  it("opens obligations under the policy version the recognition records, not its own copy's version of that date", async () => {
    await service.app.get(PublishedPolicies).record(laterPolicy('2031-01-01'));
    const opened = async (policyVersion?: string) => {
      const centerId = uuidv7();
      const recognition = foreignEvent(ReviewEventTypes.CenterRecognized, centerId, {
        ...recognitionPayload(centerId, '朝阳区', '2031-01-05'),
        ...(policyVersion ? { policyVersion } : {}),
      });
      await inTransaction(service.db.pool, (tx) =>
        service.app.get(ReportingConsumer).handle(recognition, tx),
      );
      const { rows } = await service.db.pool.query(
        `select payload from event_store.events where stream_id = $1 and stream_version = 1`,
        [obligationsStream(centerId)],
      );
      return rows[0].payload;
    };
    expect(await opened(defaultPolicy.version)).toMatchObject({
      policyVersion: defaultPolicy.version,
      operatingDeadline: '2033-01-05',
    });
    // Recorded before the field: the version in force on its date.
    expect(await opened()).toMatchObject({ policyVersion: 'later-2031', operatingDeadline: '2034-01-05' });
  });

  it('schedules the next period under the policy in force when the deadline passed, however late the timer runs', async () => {
    // From 2032-04-17 quarterly reports are due 30 days after the quarter (15 before).
    const longer = laterPolicy('2032-04-17');
    const published = longer.payload as { version: string; policy: Record<string, unknown> };
    published.version = published.policy.version = 'longer-2032';
    published.policy.quarterlyReportDueDays = 30;
    await service.app.get(PublishedPolicies).record(longer);
    const centerId = uuidv7();
    const recognition = foreignEvent(ReviewEventTypes.CenterRecognized, centerId, {
      ...recognitionPayload(centerId, '朝阳区', '2032-03-10'),
      policyVersion: defaultPolicy.version,
    });
    await inTransaction(service.db.pool, (tx) => service.app.get(ReportingConsumer).handle(recognition, tx));
    // 2032-Q1 was due 2032-04-15; its deadline passed on 04-16, the timer runs only on 04-20.
    at('2032-04-20');
    await service.app.get(ReportDeadlineTimer).tick();
    const { rows } = await service.db.pool.query(
      `select payload from event_store.events where stream_id = $1 and type = 'reporting.report-due-scheduled'`,
      [obligationsStream(centerId)],
    );
    expect(rows.map((r) => r.payload)).toContainEqual(
      expect.objectContaining({ period: '2032-Q2', dueOn: '2032-07-15', follows: '2032-Q1' }),
    );
  });

  it("withdraws an activity logged by mistake, with the operator's reason, out of the count; another center's operator is refused", async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    at('2026-06-02');
    const logged = await http()
      .post(`/centers/${centerId}/activities`)
      .set('authorization', `Bearer ${operator}`)
      .send({
        type: 'visit',
        heldOn: '2026-06-01',
        title: '企业走访',
        participants: 5,
        evidenceHash: 'e'.repeat(64),
      })
      .expect(201);
    const withdraw = (token: string, body: object = { reason: '走访记录登记错误' }) =>
      http()
        .post(`/centers/${centerId}/activities/${logged.body.id}/withdrawal`)
        .set('authorization', `Bearer ${token}`)
        .send(body);
    const stranger = await service.token({ role: 'operator', centerId: uuidv7() });
    await withdraw(stranger).expect(404);
    const unexplained = await withdraw(operator, {}).expect(400);
    expect(unexplained.body).toMatchObject({ error: 'invalid_input', field: 'reason' });
    const withdrawn = await withdraw(operator).expect(201);
    expect(withdrawn.body.recorded).toEqual([
      {
        type: 'reporting.activity-withdrawn',
        payload: expect.objectContaining({
          activityId: logged.body.id,
          reason: '走访记录登记错误',
          yearCount: 0,
        }),
      },
    ]);
    await withdraw(operator).expect(404);
    expect((await obligationsOf(centerId)).body.activitiesByYear).toEqual({ 2026: 0 });
  });

  it('lists the activities counted per year and those withdrawn, agreeing with activitiesByYear, for whoever reads the obligations', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId });
    const log = async (heldOn: string, title: string) =>
      (
        await http()
          .post(`/centers/${centerId}/activities`)
          .set('authorization', `Bearer ${operator}`)
          .send({ type: 'roadshow', heldOn, title, participants: 20, evidenceHash: 'b'.repeat(64) })
          .expect(201)
      ).body.id as string;
    at('2026-11-04');
    const november = await log('2026-11-03', '技术合同对接会');
    const may = await log('2026-05-20', '新材料项目路演');
    at('2027-02-02');
    const february = await log('2027-02-01', '新年路演');
    await http()
      .post(`/centers/${centerId}/activities/${november}/withdrawal`)
      .set('authorization', `Bearer ${operator}`)
      .send({ reason: '对接会改期，登记错误' })
      .expect(201);
    const read = (token: string, query = '', id = centerId) =>
      http().get(`/centers/${id}/activities${query}`).set('authorization', `Bearer ${token}`);

    const in2026 = (await read(operator, '?year=2026').expect(200)).body;
    expect(in2026).toMatchObject({ centerId, year: 2026, activitiesByYear: { 2026: 1 } });
    expect(in2026.activities).toEqual([
      {
        activityId: may,
        type: 'roadshow',
        heldOn: '2026-05-20',
        title: '新材料项目路演',
        participants: 20,
        evidenceHash: 'b'.repeat(64),
        loggedAt: '2026-11-04T02:00:00.000Z',
      },
    ]);
    expect(in2026.withdrawn).toEqual([
      expect.objectContaining({
        activityId: november,
        heldOn: '2026-11-03',
        withdrawnOn: '2027-02-02',
        reason: '对接会改期，登记错误',
      }),
    ]);
    const every = (await read(operator).expect(200)).body;
    expect(every.activities.map((a: { activityId: string }) => a.activityId)).toEqual([may, february]);
    const obligations = (await obligationsOf(centerId)).body;
    expect(obligations.activitiesByYear).toEqual({ 2026: 1, 2027: 1 });
    expect(every).toMatchObject({ year: null, activitiesByYear: obligations.activitiesByYear });
    expect(every.version).toBe(obligations.version);

    // Read as the obligations are: its district office, the bureau, auditors; another's answer as unknown.
    await expectReadAsObligations(centerId, read, every);
    const unknown = uuidv7();
    expect((await read(await service.token({ role: 'city_bureau' }), '', unknown).expect(404)).body).toEqual(
      unknownCenter(unknown),
    );

    for (const query of ['?year=26', '?year=2026-01', '?year=', '?year=2026&year=2027']) {
      const refused = (await read(operator, query).expect(400)).body;
      expect(refused).toMatchObject({ error: 'invalid_input', field: 'year' });
      expect(refused.message).toContain('A6.5');
    }
    expect((await read(operator, '?yaer=2026').expect(400)).body).toMatchObject({ field: 'yaer' });
  });

  it('reads a report as filed and as corrected, each revision with its content, filer and reason, for whoever reads the obligations', async () => {
    const centerId = await recognise();
    const filer = await service.token({ role: 'operator', centerId, sub: 'op-staff-1' });
    const corrector = await service.token({ role: 'operator', centerId, sub: 'op-staff-2' });
    const file = (token: string, body: Record<string, unknown>) =>
      http()
        .post(`/centers/${centerId}/reports`)
        .set('authorization', `Bearer ${token}`)
        .send({ kind: 'quarterly', year: 2026, quarter: 2, ...body })
        .expect(201);
    const first = { majorActivities: '路演6场', importantResults: '促成技术合同1项' };
    const second = { majorActivities: '路演8场', importantResults: '促成技术合同2项' };
    at('2026-07-02');
    await file(filer, { content: first, documentHash: 'c'.repeat(64) });
    at('2026-07-10');
    await file(corrector, { content: second, reason: '补充第二季度成果数据', supersedesRevision: 1 });
    const read = (token: string, path = 'quarterly/2026-Q2', id = centerId) =>
      http().get(`/centers/${id}/reports/${path}`).set('authorization', `Bearer ${token}`);

    const report = (await read(filer).expect(200)).body;
    // Who filed each revision: the actor its event records.
    const recorded = (await service.app.get(PostgresEventStore).readStream(obligationsStream(centerId)))
      .filter((e) => e.type === 'reporting.report-filed' || e.type === 'reporting.report-corrected')
      .map((e) => e.actor);
    expect(recorded.map((a) => a.id)).toEqual(['op-staff-1', 'op-staff-2']);
    expect(report).toEqual({
      centerId,
      kind: 'quarterly',
      period: '2026-Q2',
      dueOn: '2026-07-15',
      late: false,
      revisions: [
        {
          revision: 1,
          filedOn: '2026-07-02',
          late: false,
          content: { kind: 'quarterly', ...first },
          documentHash: 'c'.repeat(64),
          filedBy: recorded[0],
          supersedesRevision: null,
          reason: null,
        },
        {
          revision: 2,
          filedOn: '2026-07-10',
          late: false,
          content: { kind: 'quarterly', ...second },
          documentHash: null,
          filedBy: recorded[1],
          supersedesRevision: 1,
          reason: '补充第二季度成果数据',
        },
      ],
      version: expect.any(Number),
    });
    expect(report.revisions[1].filedBy).toMatchObject({ id: 'op-staff-2', role: 'operator', centerId });
    const obligations = (await obligationsOf(centerId)).body;
    expect(report.version).toBe(obligations.version);
    expect(
      report.revisions.map(
        ({ revision, filedOn, late }: { revision: number; filedOn: string; late: boolean }) => ({
          revision,
          filedOn,
          late,
        }),
      ),
    ).toEqual(obligations.reports.find((r: { period: string }) => r.period === '2026-Q2').revisions);

    // Read as the obligations are: its district office, the bureau, auditors; another's answer as unknown.
    await expectReadAsObligations(centerId, read, report);
    const unknown = uuidv7();
    expect(
      (await read(await service.token({ role: 'city_bureau' }), undefined, unknown).expect(404)).body,
    ).toEqual(unknownCenter(unknown));

    // Owed but not filed, and a period the center was never due (the timer has not scheduled 2026-Q3).
    expect((await read(filer, 'quarterly/2026-Q1').expect(404)).body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'filed quarterly report 2026-Q1 not found',
      what: 'filed quarterly report',
      id: '2026-Q1',
    });
    expect((await read(filer, 'quarterly/2026-Q3').expect(404)).body).toMatchObject({
      message: 'quarterly report period 2026-Q3 not found',
    });
    expect((await read(filer, 'annual/2025').expect(404)).body).toMatchObject({
      message: 'annual report period 2025 not found',
    });
    for (const [path, field] of [
      ['monthly/2026-07', 'kind'],
      ['quarterly/2026', 'period'],
      ['quarterly/2026-Q5', 'period'],
      ['annual/2026-Q2', 'period'],
    ] as const)
      expect((await read(filer, path).expect(400)).body).toMatchObject({ error: 'invalid_input', field });
  });

  it('lists the major changes as reported, by effective day, each with its re-check, for whoever reads the obligations', async () => {
    const centerId = await recognise();
    const operator = await service.token({ role: 'operator', centerId, sub: 'op-staff-1' });
    const report = async (body: Record<string, unknown>) =>
      (
        await http()
          .post(`/centers/${centerId}/major-changes`)
          .set('authorization', `Bearer ${operator}`)
          .send(body)
          .expect(201)
      ).body.id as string;
    // No baseline here (the recognition carries no facts): each change reports every fact.
    at('2027-04-03');
    const direction = await report({
      changes: ['direction_changed'],
      description: '业务方向调整为新材料领域',
      effectiveOn: '2027-04-01',
      newFacts: eligibleFacts,
    });
    // Reported later, effective earlier: listed first.
    at('2027-04-05');
    const area = await report({
      changes: ['area_changed'],
      description: '产权单位收回部分楼层，场地面积调整为4800平方米',
      effectiveOn: '2027-03-01',
      newFacts: { ...eligibleFacts, premises: { buildingAreaM2: '4800.00' } },
    });
    const read = (token: string, id = centerId) =>
      http().get(`/centers/${id}/major-changes`).set('authorization', `Bearer ${token}`);

    const listed = (await read(operator).expect(200)).body;
    const reportedBy = (
      await service.app.get(PostgresEventStore).readStream(obligationsStream(centerId))
    ).find((e) => e.type === 'reporting.major-change-reported')!.actor;
    expect(reportedBy).toMatchObject({ id: 'op-staff-1', role: 'operator', centerId });
    expect(listed.majorChanges.map((c: { changeId: string }) => c.changeId)).toEqual([area, direction]);
    expect(listed.majorChanges[0]).toEqual({
      changeId: area,
      changes: ['area_changed'],
      description: '产权单位收回部分楼层，场地面积调整为4800平方米',
      effectiveOn: '2027-03-01',
      reportedOn: '2027-04-05',
      newFacts: { ...eligibleFacts, premises: { buildingAreaM2: '4800.00' } },
      reportedBy,
      evaluation: {
        evaluatedOn: '2027-04-05',
        stillEligible: false,
        failed: ['A6.1:buildingArea'],
        decision: {
          rule: 'major-change',
          rulesetVersion: expect.any(String),
          policyVersion: defaultPolicy.version,
          outcome: expect.objectContaining({
            stillEligible: false,
            revoke: true,
            failed: ['A6.1:buildingArea'],
          }),
          reasons: expect.arrayContaining([
            expect.objectContaining({
              ruleId: 'A6.1',
              criterion: 'buildingArea',
              measured: '4800.00',
              passed: false,
            }),
          ]),
        },
      },
    });
    expect(listed.majorChanges[1]).toMatchObject({
      changeId: direction,
      description: '业务方向调整为新材料领域',
      effectiveOn: '2027-04-01',
      evaluation: { evaluatedOn: '2027-04-03', stillEligible: true, failed: [] },
    });
    expect(listed.majorChanges[0].evaluation.decision).not.toHaveProperty('inputs');
    const obligations = (await obligationsOf(centerId)).body;
    expect(obligations.majorChanges).toEqual({
      [area]: { stillEligible: false },
      [direction]: { stillEligible: true },
    });
    expect(listed).toMatchObject({ centerId, version: obligations.version });

    // Read as the obligations are: its district office, the bureau, auditors; another's answer as unknown.
    await expectReadAsObligations(centerId, read, listed);
    const none = await recognise();
    expect((await read(await service.token({ role: 'city_bureau' }), none).expect(200)).body).toEqual({
      centerId: none,
      majorChanges: [],
      version: expect.any(Number),
    });
  });

  it('describes its API in OpenAPI', async () => {
    const doc = await http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/centers/{centerId}/reports',
        '/centers/{centerId}/reports/{kind}/{period}',
        '/centers/{centerId}/activities',
        '/centers/{centerId}/major-changes',
        '/centers/{centerId}/operation-start/confirm',
        '/centers/{centerId}/obligations',
      ]),
    );
    const listed = doc.body.paths['/centers/{centerId}/activities'].get;
    expect(listed.parameters).toContainEqual(
      expect.objectContaining({
        name: 'year',
        in: 'query',
        required: false,
        description: expect.any(String),
      }),
    );
    expect(listed.responses['200'].description).toContain('activitiesByYear');
    expect(doc.body.paths['/centers/{centerId}/major-changes'].get.responses['200'].description).toContain(
      'evaluation',
    );
    expect(
      doc.body.paths['/centers/{centerId}/reports/{kind}/{period}'].get.parameters.map(
        (p: { name: string; in: string }) => `${p.in}:${p.name}`,
      ),
    ).toEqual(expect.arrayContaining(['path:centerId', 'path:kind', 'path:period']));
  });
});
