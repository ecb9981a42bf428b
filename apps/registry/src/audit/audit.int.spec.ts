import { Module } from '@nestjs/common';
import request from 'supertest';
import eligible from '../../../../libs/rules/examples/eligible-application.json';
import {
  IntakeEventTypes,
  ReviewEventTypes,
  serviceTopic,
  uuidv7,
  type Actor,
  type EventEnvelope,
  type ServiceName,
} from '@nqpf/contracts';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import { PlatformModule } from '@nqpf/platform';
import { decideEligibility, defaultPolicy } from '@nqpf/rules';
import {
  expectRefusedAsInvalid,
  eventually,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
  type ServiceUnderTest,
} from '@nqpf/testing';
import { loadRegistryConfig } from '../config';
import { AuditModule } from './audit.module';
import { conforming } from '../read-api/testing/answers';
import { mergeByRecordedAt } from './merge-trail';

@Module({})
class TestRoot {}

const operator = (centerId: string): Actor => ({ id: `op-${centerId}`, role: 'operator', centerId });
const districtOffice: Actor = { id: 'nanguan-1', role: 'district_office', district: '南关区' };
const system: Actor = { id: 'review', role: 'system' };

/** A cursor the route gave, moved to another position: the filters it was given for kept. */
function movedTo(cursor: string, position: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return Buffer.from(text.replace(/^after:[^;]+/, `after:${position}`), 'utf8').toString('base64url');
}

function envelope(
  type: string,
  centerId: string,
  actor: Actor,
  recordedAt: string,
  payload: unknown,
): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    schemaVersion: 1,
    streamId: centerId,
    streamVersion: 1,
    position: '1',
    occurredAt: recordedAt,
    recordedAt,
    correlationId: uuidv7(),
    causationId: null,
    actor,
    centerId,
    payload,
    previousHash: null,
    hash: '0'.repeat(64),
  };
}

const submitted = (centerId: string, district: string, at: string) =>
  envelope(IntakeEventTypes.ApplicationSubmitted, centerId, operator(centerId), at, {
    applicationId: centerId,
    callId: 'call-2026',
    district,
    revision: 1,
    submittedAt: at,
    facts: eligible,
    materials: [],
  });

/** Events published to the topics reach GET /audit/centers/:id, in order and scoped per actor. */
describe('audit trail API on PostgreSQL and Kafka', () => {
  const environment = testEnvironment(uniqueName('audit'));
  const publisher = new KafkaEventPublisher(createKafka('audit-test', testInfra().kafkaBrokers));
  let registry: ServiceUnderTest;
  const publish = (service: ServiceName, events: EventEnvelope[]) =>
    publisher.publish(serviceTopic(service, environment.topicPrefix), events.map(toWire));

  const north = 'center-north';
  const south = 'center-south';
  const decision = decideEligibility(eligible, defaultPolicy);
  const returned = envelope(
    IntakeEventTypes.ApplicationReturnedByDistrict,
    north,
    districtOffice,
    '2026-03-06T02:00:00.000Z',
    {
      applicationId: north,
      district: '南关区',
      revision: 1,
      returnedAt: '2026-03-06T02:00:00.000Z',
      reasons: ['场地证明不清晰'],
    },
  );

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) => ({
      module: TestRoot,
      imports: [
        PlatformModule.forRoot({ service: 'registry', config: loadRegistryConfig(env), env }),
        AuditModule,
      ],
    }));
    // Review's decision was recorded between intake's two events; it is published first.
    await publish('review', [
      envelope(ReviewEventTypes.EligibilityDecided, north, system, '2026-03-05T12:00:00.000Z', {
        applicationId: north,
        eligible: true,
        decidedAt: '2026-03-05T12:00:00.000Z',
        decision,
      }),
    ]);
    await publish('intake', [submitted(north, '南关区', '2026-03-05T09:30:00.000Z'), returned, returned]);
    await publish('intake', [submitted(south, '宽城区', '2026-03-07T09:30:00.000Z')]);
  });

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.close();
  });

  const get = async (path: string, token: string) =>
    conforming(await request(registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`));

  it("shows an auditor every event of the center once, in order, with actor, reason and the decision's rules", async () => {
    const auditor = await registry.token({ role: 'auditor' });
    const body = await eventually(async () => {
      const res = await get(`/audit/centers/${north}`, auditor);
      expect(res.status).toBe(200);
      expect(res.body.events).toHaveLength(3);
      return res.body;
    });
    expect(body.district).toBe('南关区');
    expect(body.events.map((e: { type: string }) => e.type)).toEqual([
      IntakeEventTypes.ApplicationSubmitted,
      ReviewEventTypes.EligibilityDecided,
      IntakeEventTypes.ApplicationReturnedByDistrict,
    ]);
    const [first, second, third] = body.events;
    expect(first.actor).toEqual({ id: `op-${north}`, role: 'operator', district: null });
    expect(second.decisions).toHaveLength(1);
    expect(second.decisions[0]).toMatchObject({ rule: 'eligibility', policyVersion: defaultPolicy.version });
    expect(second.decisions[0].reasons.map((r: { ruleId: string }) => r.ruleId)).toEqual(
      decision.reasons.map((r) => r.ruleId),
    );
    expect(third).toMatchObject({
      eventId: returned.id,
      actor: { id: 'nanguan-1', role: 'district_office', district: '南关区' },
      reason: '场地证明不清晰',
      payload: returned.payload,
      decisions: [],
    });
    // What the event records beside its decision, which is in decisions only.
    expect(second.payload).toEqual({
      applicationId: north,
      eligible: true,
      decidedAt: '2026-03-05T12:00:00.000Z',
    });
  });

  it('fills the payload of a line kept before payloads when its event is read again', async () => {
    const auditor = await registry.token({ role: 'auditor' });
    await eventually(async () =>
      expect((await get(`/audit/centers/${north}`, auditor)).body.events).toHaveLength(3),
    );
    await registry.db.pool.query(`update audit.trail set payload = null where event_id = $1`, [returned.id]);
    const line = async () =>
      (await get(`/audit/centers/${north}`, auditor)).body.events.find(
        (e: { eventId: string }) => e.eventId === returned.id,
      );
    expect((await line()).payload).toBeNull();
    await publish('intake', [returned]);
    await eventually(async () => expect((await line()).payload).toEqual(returned.payload));
    // Read again, it is still one line, where it was.
    expect((await get(`/audit/centers/${north}`, auditor)).body.events).toHaveLength(3);
  });

  it('narrows the trail by event types and recorded days (Asia/Shanghai), an empty answer for a center in scope', async () => {
    const auditor = await registry.token({ role: 'auditor' });
    await eventually(async () =>
      expect((await get(`/audit/centers/${north}`, auditor)).body.events).toHaveLength(3),
    );
    const types = async (query: string) => {
      const res = await get(`/audit/centers/${north}?${query}`, auditor);
      expect(res.status).toBe(200);
      return res.body.events.map((e: { type: string }) => e.type);
    };
    expect(await types(`types=${IntakeEventTypes.ApplicationReturnedByDistrict}`)).toEqual([
      IntakeEventTypes.ApplicationReturnedByDistrict,
    ]);
    // Submitted 17:30 and decided 20:00 on 5 March in Shanghai; returned 10:00 on the 6th.
    expect(await types('from=2026-03-06')).toEqual([IntakeEventTypes.ApplicationReturnedByDistrict]);
    expect(await types('to=2026-03-05')).toEqual([
      IntakeEventTypes.ApplicationSubmitted,
      ReviewEventTypes.EligibilityDecided,
    ]);
    expect(await types(`types=${ReviewEventTypes.EligibilityDecided}&to=2026-03-04`)).toEqual([]);
    const refused = async (query: string) => {
      const res = await get(`/audit/centers/${north}?${query}`, auditor);
      return { status: res.status, error: res.body.error, field: res.body.field };
    };
    const invalid = (field: string) => ({ status: 400, error: 'invalid_input', field });
    expect(await refused('types=drop%20table')).toEqual(invalid('types'));
    expect(await refused('from=2026-02-30')).toEqual(invalid('from'));
    expect(await refused('from=2026-03-06&to=2026-03-05')).toEqual(invalid('to'));
    expect(
      (await get(`/audit/centers/nowhere?types=${ReviewEventTypes.EligibilityDecided}`, auditor)).status,
    ).toBe(404);
  });

  it('keeps decisions about no center (a conflict declared, a call opened) for the bureau and auditors, by type', async () => {
    const expert: Actor = { id: 'expert-7', role: 'expert' };
    const conflict = {
      ...envelope(ReviewEventTypes.ExpertConflictDeclared, 'x', expert, '2026-03-08T02:00:00.000Z', {
        expertId: 'expert-7',
        institution: { name: '长春某科技公司' },
        reason: '曾任该公司顾问',
        declaredAt: '2026-03-08T02:00:00.000Z',
      }),
      streamId: 'expert-expert-7',
      centerId: null,
    };
    const call = {
      ...envelope(
        IntakeEventTypes.CallOpened,
        'x',
        { id: 'bureau-1', role: 'city_bureau' },
        '2026-02-01T02:00:00.000Z',
        {
          callId: 'call-2026',
          year: 2026,
          opensOn: '2026-02-01',
          closesOn: '2026-04-30',
        },
      ),
      streamId: 'call-call-2026',
      centerId: null,
    };
    await publish('review', [conflict, conflict]); // delivered twice, kept once
    await publish('intake', [call]);
    const auditor = await registry.token({ role: 'auditor' });
    const body = await eventually(async () => {
      const res = await get(
        `/audit/events?types=${ReviewEventTypes.ExpertConflictDeclared},${IntakeEventTypes.CallOpened}`,
        auditor,
      );
      expect(res.status).toBe(200);
      expect(res.body.events).toHaveLength(2);
      return res.body;
    });
    expect(body.events.map((e: { type: string }) => e.type)).toEqual([
      IntakeEventTypes.CallOpened,
      ReviewEventTypes.ExpertConflictDeclared,
    ]);
    expect(body.events[1]).toMatchObject({
      streamId: 'expert-expert-7',
      actor: { id: 'expert-7', role: 'expert' },
      reason: '曾任该公司顾问',
    });
    const later = await get(`/audit/events?types=${IntakeEventTypes.CallOpened}&from=2026-03-01`, auditor);
    expect(later.body.events).toEqual([]);
    expect((await get('/audit/events', auditor)).body).toMatchObject({
      statusCode: 400,
      error: 'invalid_input',
      field: 'types',
    });
    expect((await get(`/audit/events?types=${ReviewEventTypes.EligibilityDecided}`, auditor)).status).toBe(
      400,
    );
    const office = await registry.token({ role: 'district_office', district: '南关区' });
    expect((await get(`/audit/events?types=${IntakeEventTypes.CallOpened}`, office)).status).toBe(403);
  });

  it('shows the written text of human decisions whose payload does not call it `reason`', async () => {
    const center = 'center-reviewed';
    const expert: Actor = { id: 'expert-1', role: 'expert' };
    const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
    const a = { applicationId: center };
    await publish('intake', [
      envelope(IntakeEventTypes.ApplicationEndorsed, center, districtOffice, '2026-03-06T02:00:00.000Z', {
        ...a,
        district: '南关区',
        revision: 1,
        endorsedAt: '2026-03-06T02:00:00.000Z',
        opinion: '同意推荐',
      }),
    ]);
    await publish('review', [
      envelope(ReviewEventTypes.ExpertReviewRecorded, center, expert, '2026-03-12T02:00:00.000Z', {
        ...a,
        expertId: 'expert-1',
        score: 86,
        opinion: '服务功能齐全，团队稳定',
        recordedAt: '2026-03-12T02:00:00.000Z',
      }),
      envelope(ReviewEventTypes.SiteInspectionRecorded, center, expert, '2026-03-13T02:00:00.000Z', {
        ...a,
        expertId: 'expert-1',
        inspectedOn: '2026-03-13',
        satisfactory: true,
        finding: '场地与申报一致',
        recordedAt: '2026-03-13T02:00:00.000Z',
      }),
      envelope(ReviewEventTypes.ObjectionInvestigationStarted, center, bureau, '2026-03-20T02:00:00.000Z', {
        ...a,
        objectionId: 'objection-1',
        startedAt: '2026-03-20T02:00:00.000Z',
        note: '约谈举报人核实',
      }),
    ]);
    const auditor = await registry.token({ role: 'auditor' });
    const body = await eventually(async () => {
      const res = await get(`/audit/centers/${center}`, auditor);
      expect(res.status).toBe(200);
      expect(res.body.events).toHaveLength(4);
      return res.body;
    });
    expect(body.events.map((e: { type: string; reason: string | null }) => [e.type, e.reason])).toEqual([
      [IntakeEventTypes.ApplicationEndorsed, '同意推荐'],
      [ReviewEventTypes.ExpertReviewRecorded, '服务功能齐全，团队稳定'],
      [ReviewEventTypes.SiteInspectionRecorded, '场地与申报一致'],
      [ReviewEventTypes.ObjectionInvestigationStarted, '约谈举报人核实'],
    ]);
    expect(body.events[1].payload).toMatchObject({ expertId: 'expert-1', score: 86 });
    // The center's district office: that the review and the inspection happened and when, not who or what.
    const office = await registry.token({ role: 'district_office', district: '南关区' });
    const shown = (await get(`/audit/centers/${center}`, office)).body.events;
    expect(shown[1].payload).toEqual({
      applicationId: center,
      expertId: '(withheld)',
      score: '(withheld)',
      opinion: '(withheld)',
      recordedAt: '2026-03-12T02:00:00.000Z',
    });
    expect(shown[2].payload).toMatchObject({ inspectedOn: '2026-03-13', finding: '(withheld)' });
    expect(shown[3].payload).toMatchObject({ objectionId: 'objection-1', note: '(withheld)' });
    expect(JSON.stringify(shown)).not.toMatch(/expert-1|服务功能|场地与申报|约谈/);
    expect(shown[0].payload).toMatchObject({ opinion: '同意推荐' });
  });

  it('lets the bureau see any center', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    await eventually(async () => expect((await get(`/audit/centers/${south}`, bureau)).status).toBe(200));
    expect((await get(`/audit/centers/${north}`, bureau)).status).toBe(200);
    // Strict parameters, as on every registry route: this one takes none.
    const typo = await get(`/audit/centers/${north}?verifyonly=true`, bureau);
    expect(typo.status).toBe(400);
    expect(typo.body).toMatchObject({ error: 'invalid_input', field: 'verifyonly' });
    expect(typo.body.message).toContain('verifyonly: not a parameter of this route');
  });

  it('shows a district office only the centers of its district', async () => {
    const nanguan = await registry.token({ role: 'district_office', district: '南关区' });
    const kuancheng = await registry.token({ role: 'district_office', district: '宽城区' });
    expect((await get(`/audit/centers/${north}`, nanguan)).status).toBe(200);
    // Out of scope answers exactly as a center without a trail: the write services' not_found body.
    const hidden = await get(`/audit/centers/${north}`, kuancheng);
    const notFound = (id: string) => ({
      statusCode: 404,
      error: 'not_found',
      message: `audit trail ${id} not found`,
      what: 'audit trail',
      id,
    });
    expect([hidden.status, hidden.body]).toEqual([404, notFound(north)]);
    expect((await get('/audit/centers/nowhere', kuancheng)).body).toEqual(notFound('nowhere'));
    await eventually(async () => expect((await get(`/audit/centers/${south}`, kuancheng)).status).toBe(200));
  });

  it('keeps the district of the latest recorded event when an older one arrives after it (a redelivery)', async () => {
    const moved = 'center-moved';
    await publish('intake', [submitted(moved, '南关区', '2026-03-09T09:30:00.000Z')]);
    const auditor = await registry.token({ role: 'auditor' });
    await eventually(async () => expect((await get(`/audit/centers/${moved}`, auditor)).status).toBe(200));
    await publish('intake', [submitted(moved, '宽城区', '2026-03-01T09:30:00.000Z')]);
    const body = await eventually(async () => {
      const res = await get(`/audit/centers/${moved}`, auditor);
      expect(res.body.events).toHaveLength(2);
      return res.body;
    });
    expect(body.district).toBe('南关区');
  });

  it('keeps, by its shape, an event of a schema version the registry does not know, as one of a type it does not know', async () => {
    // A newer release's breaking change, or its new type, read by an older registry (a rollback).
    const newer = 'center-newer';
    const v2 = { ...submitted(newer, '南关区', '2026-03-10T09:30:00.000Z'), schemaVersion: 2 };
    const newType = envelope('intake.something-new', newer, system, '2026-03-11T09:30:00.000Z', {
      centerId: newer,
      district: '南关区',
    });
    await publish('intake', [v2, newType]);
    const auditor = await registry.token({ role: 'auditor' });
    const body = await eventually(async () => {
      const res = await get(`/audit/centers/${newer}`, auditor);
      expect(res.body.events).toHaveLength(2);
      return res.body;
    });
    expect(body.events.map((e: { eventId: string }) => e.eventId)).toEqual([v2.id, newType.id]);
  });

  it('keeps, by its shape, an event about no center of a schema version the registry does not know', async () => {
    const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
    const call = {
      ...envelope(IntakeEventTypes.CallOpened, 'x', bureau, '2026-05-01T02:00:00.000Z', {
        callId: 'call-2027-newer',
        year: 2027,
        opensOn: '2026-05-01',
        closesOn: '2027-04-30',
      }),
      streamId: 'call-call-2027-newer',
      centerId: null,
      schemaVersion: 2,
    };
    await publish('intake', [call]);
    const auditor = await registry.token({ role: 'auditor' });
    await eventually(async () => {
      const res = await get(`/audit/events?types=${IntakeEventTypes.CallOpened}&from=2026-05-01`, auditor);
      expect(res.body.events.map((e: { eventId: string }) => e.eventId)).toEqual([call.id]);
    });
  });

  it('shows an operator only its own center', async () => {
    const own = await registry.token({ role: 'operator', centerId: north });
    const other = await registry.token({ role: 'operator', centerId: south });
    expect((await get(`/audit/centers/${north}`, own)).status).toBe(200);
    expect((await get(`/audit/centers/${north}`, other)).status).toBe(404);
  });

  describe('GET /audit/centers/:centerId a page at a time, in the trail’s order', () => {
    const paged = 'center-paged';
    const at = (minute: number) => `2026-04-01T02:${String(minute).padStart(2, '0')}:00.000Z`;
    const returnedAt = (minute: number) =>
      envelope(IntakeEventTypes.ApplicationReturnedByDistrict, paged, districtOffice, at(minute), {
        applicationId: paged,
        district: '南关区',
        revision: 1,
        returnedAt: at(minute),
        reasons: ['材料不全'],
      });
    const decidedAt = (minute: number) =>
      envelope(ReviewEventTypes.EligibilityDecided, paged, system, at(minute), {
        applicationId: paged,
        eligible: true,
        decidedAt: at(minute),
        decision,
      });
    // Intake's clock goes back once (i4 before i3), and lines of both topics share instants.
    const [i1, i2, i3, i4, i5] = [
      submitted(paged, '南关区', at(0)),
      returnedAt(0),
      submitted(paged, '南关区', at(2)),
      returnedAt(1),
      submitted(paged, '南关区', at(3)),
    ];
    const [r1, r2, r3, r4] = [decidedAt(0), decidedAt(1), decidedAt(1), decidedAt(4)];
    // Each topic in the order received, the heads merged by recorded time, ties to intake (named first).
    const order = [i1, i2, r1, r2, r3, i3, i4, i5, r4].map((e) => e.id);
    const ids = (body: { events: { eventId: string }[] }) => body.events.map((e) => e.eventId);
    const walk = async (centerId: string, query: string, token: string) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const res = await get(
          `/audit/centers/${centerId}?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          token,
        );
        expect(res.status).toBe(200);
        pages.push(ids(res.body));
        cursor = res.body.nextCursor;
      } while (cursor !== null && pages.length < 50);
      return pages;
    };

    beforeAll(async () => {
      await publish('review', [r1, r2, r3, r4]);
      await publish('intake', [i1, i2, i3, i4, i5]);
      const auditor = await registry.token({ role: 'auditor' });
      await eventually(async () =>
        expect((await get(`/audit/centers/${paged}`, auditor)).body.events).toHaveLength(9),
      );
    });

    it('answers a trail of up to 500 lines whole without limit, the last page saying no next', async () => {
      const auditor = await registry.token({ role: 'auditor' });
      const res = await get(`/audit/centers/${paged}`, auditor);
      expect(ids(res.body)).toEqual(order);
      expect(res.body.nextCursor).toBeNull();
    });

    it('walks it page by page, each line once, in the order of the whole, with no empty last page', async () => {
      const auditor = await registry.token({ role: 'auditor' });
      for (const limit of [1, 2, 3, 4, 8, 9]) {
        const pages = await walk(paged, `limit=${limit}`, auditor);
        expect({ limit, lines: pages.flat() }).toEqual({ limit, lines: order });
        expect(pages).toHaveLength(Math.ceil(order.length / limit));
        expect(pages.every((p) => p.length === limit || p === pages[pages.length - 1])).toBe(true);
      }
      // Narrowed, the pages follow the lines that remain; a district office walks them too.
      const office = await registry.token({ role: 'district_office', district: '南关区' });
      expect(
        (await walk(paged, `types=${IntakeEventTypes.ApplicationSubmitted}&limit=1`, office)).flat(),
      ).toEqual([i1, i3, i5].map((e) => e.id));
      // 10:01 to 10:03 in Shanghai is 1 April; the period narrows nothing here, but pages all the same.
      expect((await walk(paged, 'from=2026-04-01&to=2026-04-01&limit=2', auditor)).flat()).toEqual(order);
    });

    it('walks a long trail (1 203 lines, three topics, many at one instant) in pages of 500 by default', async () => {
      const long = 'center-long';
      // Each topic's clock jumps back and forth; 97 instants for 1 203 lines.
      await registry.db.pool.query(
        `insert into audit.trail (event_id, topic, center_id, type, stream_id, stream_version, occurred_at,
           recorded_at, actor, reason, decisions, payload)
         select 'long-' || g, (array['finance', 'intake', 'review'])[1 + (g * 31) % 3], $1,
                (array['finance', 'intake', 'review'])[1 + (g * 31) % 3] || '.line-recorded', $1, g,
                now(), timestamptz '2026-05-01T00:00:00Z' + ((g * 7919) % 97) * interval '1 second',
                '{"id":"x","role":"system","district":null}', null, '[]', '{}'
           from generate_series(1, 1203) as g order by g`,
        [long],
      );
      const { rows } = await registry.db.pool.query(
        `select event_id, topic, recorded_at from audit.trail where center_id = $1 order by seq`,
        [long],
      );
      const whole = mergeByRecordedAt(
        rows.map((r) => ({ eventId: r.event_id, topic: r.topic, recordedAt: r.recorded_at.toISOString() })),
      ).map((l) => l.eventId);
      const auditor = await registry.token({ role: 'auditor' });
      const pages = await walk(long, '', auditor);
      expect(pages.map((p) => p.length)).toEqual([500, 500, 203]);
      expect(pages.flat()).toEqual(whole);
      const small = await walk(long, 'limit=77', auditor);
      expect(small).toHaveLength(Math.ceil(1203 / 77));
      expect(small.flat()).toEqual(whole);
      expect(new Set(small.flat()).size).toBe(1203);
      // A cursor of this center is no position in another's trail.
      const first = await get(`/audit/centers/${long}?limit=10`, auditor);
      const elsewhere = await get(
        `/audit/centers/${paged}?cursor=${encodeURIComponent(first.body.nextCursor)}`,
        auditor,
      );
      expect([elsewhere.status, elsewhere.body.field]).toEqual([400, 'cursor']);
    });

    it('refuses a bad limit or cursor, and days outside the years 2000 to 9998, naming each', async () => {
      const auditor = await registry.token({ role: 'auditor' });
      const given = (await get(`/audit/centers/${paged}?limit=1`, auditor)).body.nextCursor;
      const at = (position: string) => movedTo(given, position);
      const refusals: Record<string, string> = {
        'limit=0': 'limit: must be an integer from 1 to 500',
        'limit=501': 'limit: must be an integer from 1 to 500',
        'cursor=abc': 'cursor: not a position this route gave',
        [`cursor=${at('intake=9223372036854775808')}`]: 'cursor: not a position this route gave',
        [`cursor=${at('intake=999999999')}`]: 'cursor: not a position this route gave',
        // GET /audit/centers's cursor is not this route's.
        [`cursor=${at('1')}`]: 'cursor: not a position this route gave',
        // The next page of other filters would skip the lines they take in before the position.
        [`types=${IntakeEventTypes.ApplicationSubmitted}&cursor=${given}`]:
          'cursor: given with other types, from, to or district than the page that gave it',
        'from=1999-12-31': 'from: must lie in the years 2000 to 9998, got "1999-12-31"',
        'from=0000-01-01': 'from: must lie in the years 2000 to 9998',
        'to=9999-12-31': 'to: must lie in the years 2000 to 9998, got "9999-12-31"',
        'from=0001-01-01&to=9999-12-31': 'from: must lie in the years 2000 to 9998',
      };
      await expectRefusedAsInvalid(refusals, (query) => get(`/audit/centers/${paged}?${query}`, auditor));
      // The years' first and last days are taken.
      expect(ids((await get(`/audit/centers/${paged}?from=2000-01-01&to=9998-12-31`, auditor)).body)).toEqual(
        order,
      );
      // Out of scope, a cursor changes nothing: the 404 of any center outside it.
      const kuancheng = await registry.token({ role: 'district_office', district: '宽城区' });
      const hidden = await get(`/audit/centers/${paged}?cursor=${at('intake=1')}`, kuancheng);
      expect([hidden.status, hidden.body.error]).toEqual([404, 'not_found']);
    });
  });

  describe('GET /audit/centers: every center’s lines of some types over a period, a page at a time', () => {
    // January 2027 (Asia/Shanghai), apart from the lines above: three 南关区 centers and one in 宽城区.
    const [c1, c2, c3, c4] = ['city-1', 'city-2', 'city-3', 'city-4'];
    const first3 = submitted(c3, '南关区', '2027-01-04T02:00:00.000Z');
    // The same instant, the same center (one partition): the tie goes to the order received.
    const second3 = {
      ...submitted(c3, '南关区', '2027-01-04T02:00:00.000Z'),
      id: uuidv7(),
      streamVersion: 2,
    };
    const objector: Actor = { id: 'op-rival', role: 'operator', centerId: 'rival' };
    const objection = envelope(ReviewEventTypes.ObjectionRaised, c1, objector, '2027-01-07T02:00:00.000Z', {
      applicationId: c1,
      objectionId: 'objection-7',
      objector: { name: '李四', contact: '13900000000' },
      content: '申报场地面积不实',
      raisedAt: '2027-01-07T02:00:00.000Z',
      admissibility: {
        rule: 'objection-admissible',
        rulesetVersion: 'r1',
        policyVersion: defaultPolicy.version,
        inputs: {
          receivedAt: '2027-01-07T02:00:00.000Z',
          publishedOn: '2027-01-05',
          publicityEndsAtExclusive: '2027-01-13T00:00:00+08:00',
          inWriting: true,
          realName: '李四',
          contact: '13900000000',
        },
        outcome: { admissible: true, failed: [] },
        reasons: [],
      },
    });
    const submittedType = IntakeEventTypes.ApplicationSubmitted;
    const january = `types=${submittedType}&from=2027-01-01&to=2027-01-31`;
    const lines = (body: { events: { centerId: string; eventId: string }[] }) =>
      body.events.map((e) => e.centerId);

    beforeAll(async () => {
      await publish('intake', [
        submitted(c1, '南关区', '2027-01-05T02:00:00.000Z'),
        submitted(c2, '宽城区', '2027-01-03T02:00:00.000Z'),
        first3,
        second3,
        // Recorded 1 February in Shanghai (17:00 UTC on 31 January): outside the period.
        submitted(c4, '南关区', '2027-01-31T17:00:00.000Z'),
      ]);
      await publish('review', [objection]);
      const auditor = await registry.token({ role: 'auditor' });
      await eventually(async () => {
        const res = await get(
          `/audit/centers?types=${submittedType},${ReviewEventTypes.ObjectionRaised}&from=2027-01-01`,
          auditor,
        );
        expect(res.body.events).toHaveLength(6);
      });
    });

    it('answers the lines of every district by recorded time, ties in the order received, with each center’s district', async () => {
      const auditor = await registry.token({ role: 'auditor' });
      const res = await get(`/audit/centers?${january}`, auditor);
      expect(res.status).toBe(200);
      expect(lines(res.body)).toEqual([c2, c3, c3, c1]);
      expect(res.body.events.map((e: { eventId: string }) => e.eventId).slice(1, 3)).toEqual([
        first3.id,
        second3.id,
      ]);
      expect(res.body.events[0]).toMatchObject({ type: submittedType, district: '宽城区', topic: 'intake' });
      expect(res.body.nextCursor).toBeNull();
      // Several types; the last day counts whole (to is inclusive), the next day's line does not.
      const both = await get(
        `/audit/centers?types=${submittedType},${ReviewEventTypes.ObjectionRaised}&from=2027-01-04&to=2027-02-01`,
        auditor,
      );
      expect(both.body.events.map((e: { centerId: string; type: string }) => [e.centerId, e.type])).toEqual([
        [c3, submittedType],
        [c3, submittedType],
        [c1, submittedType],
        [c1, ReviewEventTypes.ObjectionRaised],
        [c4, submittedType],
      ]);
      expect(lines((await get(`/audit/centers?${january}&district=宽城区`, auditor)).body)).toEqual([c2]);
    });

    it('walks the period page by page with the cursor, each line once, the last page without one', async () => {
      const bureau = await registry.token({ role: 'city_bureau' });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(
          `/audit/centers?${january}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          bureau,
        );
        expect(res.status).toBe(200);
        expect(res.body.events).toHaveLength(1);
        seen.push(res.body.events[0].eventId);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      const whole = (await get(`/audit/centers?${january}`, bureau)).body.events;
      expect(seen).toEqual(whole.map((e: { eventId: string }) => e.eventId));
      expect(pages).toBe(4);
      const two = await get(`/audit/centers?${january}&limit=2`, bureau);
      const rest = await get(`/audit/centers?${january}&limit=2&cursor=${two.body.nextCursor}`, bureau);
      expect([...lines(two.body), ...lines(rest.body)]).toEqual([c2, c3, c3, c1]);
      expect(rest.body.nextCursor).toBeNull();
    });

    it('shows a district office its own district only, whatever it asks, with the objector withheld', async () => {
      const nanguan = await registry.token({ role: 'district_office', district: '南关区' });
      expect(lines((await get(`/audit/centers?${january}`, nanguan)).body)).toEqual([c3, c3, c1]);
      const other = await get(`/audit/centers?${january}&district=宽城区`, nanguan);
      expect([other.status, other.body]).toEqual([200, { events: [], nextCursor: null }]);
      const kuancheng = await registry.token({ role: 'district_office', district: '宽城区' });
      expect(lines((await get(`/audit/centers?${january}`, kuancheng)).body)).toEqual([c2]);
      const objections = `types=${ReviewEventTypes.ObjectionRaised}&from=2027-01-01`;
      const shown = (await get(`/audit/centers?${objections}`, nanguan)).body.events;
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatchObject({
        centerId: c1,
        actor: { id: '(withheld)', role: '(withheld)' },
        payload: { objectionId: 'objection-7', objector: '(withheld)', content: '(withheld)' },
      });
      expect(JSON.stringify(shown)).not.toMatch(/李四|13900000000|op-rival|申报场地/);
      expect((await get(`/audit/centers?${objections}`, kuancheng)).body.events).toEqual([]);
      // The bureau and auditors read it as recorded.
      const auditor = await registry.token({ role: 'auditor' });
      const recorded = (await get(`/audit/centers?${objections}`, auditor)).body.events[0];
      expect(recorded).toMatchObject({ actor: { id: 'op-rival' }, payload: { objector: { name: '李四' } } });
      expect(recorded.decisions[0].recorded.inputs.realName).toBe('李四');
    });

    it('refuses a missing, misspelt or centerless type, a bad limit, cursor, district or day, naming each', async () => {
      const auditor = await registry.token({ role: 'auditor' });
      const given = (await get(`/audit/centers?${january}&limit=1`, auditor)).body.nextCursor;
      const refusals: Record<string, string> = {
        '/audit/centers': 'types: required',
        '/audit/centers?types=intake.application-submited':
          'types: "intake.application-submited" is no event type',
        [`/audit/centers?types=${IntakeEventTypes.CallOpened}`]:
          'types: "intake.call-opened" is about no center',
        [`/audit/centers?${january}&limit=501`]: 'limit: must be an integer from 1 to 500',
        [`/audit/centers?${january}&limit=0`]: 'limit: must be an integer from 1 to 500',
        [`/audit/centers?${january}&cursor=abc`]: 'cursor: not a position this route gave',
        [`/audit/centers?${january}&cursor=${movedTo(given, '999999999')}`]:
          'cursor: not a position this route gave',
        [`/audit/centers?${january}&district=宽城区&cursor=${given}`]:
          'cursor: given with other types, from, to or district than the page that gave it',
        [`/audit/centers?${january}&district=南关去`]: 'district: "南关去" is neither a district-level unit',
        [`/audit/centers?${january}&centerId=${c1}`]: 'centerId: not a parameter of this route',
        [`/audit/centers?types=${submittedType}&from=2027-02-30`]: 'from: a date YYYY-MM-DD',
        // Beyond PostgreSQL's bigint and its dates: named before any query (they were 400s without a field).
        [`/audit/centers?${january}&cursor=${movedTo(given, '9223372036854775808')}`]:
          'cursor: not a position this route gave',
        [`/audit/centers?types=${submittedType}&to=9999-12-31`]: 'to: must lie in the years 2000 to 9998',
        [`/audit/centers?types=${submittedType}&from=0000-01-01`]: 'from: must lie in the years 2000 to 9998',
        [`/audit/centers?types=${submittedType}&from=1999-12-31`]: 'from: must lie in the years 2000 to 9998',
        [`/audit/events?types=${IntakeEventTypes.CallOpened}&to=9999-12-31`]:
          'to: must lie in the years 2000 to 9998',
        [`/audit/events?types=${IntakeEventTypes.CallOpened}&from=0001-01-01`]:
          'from: must lie in the years 2000 to 9998',
      };
      await expectRefusedAsInvalid(refusals, (path) => get(path, auditor));
    });

    it('refuses operators, experts and finance officers (403)', async () => {
      for (const token of [
        await registry.token({ role: 'operator', centerId: c1 }),
        await registry.token({ role: 'expert' }),
        await registry.token({ role: 'finance_officer' }),
      ])
        expect((await get(`/audit/centers?${january}`, token)).status).toBe(403);
    });
  });

  it('refuses roles without audit access and unauthenticated callers', async () => {
    const expert = await registry.token({ role: 'expert' });
    expect((await get(`/audit/centers/${north}`, expert)).status).toBe(403);
    expect(
      conforming(await request(registry.app.getHttpServer()).get(`/audit/centers/${north}`)).status,
    ).toBe(401);
  });
});
