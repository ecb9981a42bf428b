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

@Module({})
class TestRoot {}

const operator = (centerId: string): Actor => ({ id: `op-${centerId}`, role: 'operator', centerId });
const districtOffice: Actor = { id: 'nanguan-1', role: 'district_office', district: '南关区' };
const system: Actor = { id: 'review', role: 'system' };

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

  it('shows an operator only its own center', async () => {
    const own = await registry.token({ role: 'operator', centerId: north });
    const other = await registry.token({ role: 'operator', centerId: south });
    expect((await get(`/audit/centers/${north}`, own)).status).toBe(200);
    expect((await get(`/audit/centers/${north}`, other)).status).toBe(404);
  });

  it('refuses roles without audit access and unauthenticated callers', async () => {
    const expert = await registry.token({ role: 'expert' });
    expect((await get(`/audit/centers/${north}`, expert)).status).toBe(403);
    expect(
      conforming(await request(registry.app.getHttpServer()).get(`/audit/centers/${north}`)).status,
    ).toBe(401);
  });
});
