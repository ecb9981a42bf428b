import request from 'supertest';
import { AssessmentEventTypes, EventEnvelope, SERVICES, serviceTopic, ServiceName } from '@nqpf/contracts';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import { foldDocuments, readModelChecksum } from '@nqpf/projections';
import {
  expectRefusedAsInvalid,
  eventually,
  startService,
  ServiceUnderTest,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { run as nqpfRebuild } from '../../../cli/src/commands/rebuild';
import { loadRegistryConfig } from '../config';
import { finance } from '../ledger/finance-story.fixture';
import { decodeLedger, StoredLedger } from '../ledger/ledger.codec';
import { ledgerReducer } from '../ledger/ledger.projector';
import { RegistryModule } from '../registry.module';
import { gradeEvent, intakeStory, obligationsOpened, reviewStory } from '../standing/center-story.fixture';
import { envelope } from '../standing/event-fixture';
import { standingReducer } from '../standing/standing.projector';
import { readModels } from './read-models';
import { conforming } from '../read-api/testing/answers';

const at =
  (iso: string) =>
  (e: EventEnvelope): EventEnvelope => ({ ...e, recordedAt: iso, occurredAt: iso });

/** A whole life (intake → review → finance → grades → revocation), each stage recorded at its own instant. */
function life(centerId: string, district: string) {
  const revoked = envelope(AssessmentEventTypes.CenterRevoked, centerId, {
    centerId,
    revokedOn: '2028-02-15',
    ruleId: 'A17.3b',
    reason: 'consecutive-unqualified',
    explanation: { zh: '连续两年不合格', en: 'unqualified two years running' },
    decision: { rule: 'r', rulesetVersion: 'r1', policyVersion: 'p', inputs: {}, outcome: {}, reasons: [] },
  });
  return {
    intake: intakeStory(centerId, district).map(at('2026-03-08T03:00:00Z')),
    review: reviewStory(centerId, district, '2026-03-10').map(at('2026-03-10T03:00:00Z')),
    // A17.3a: deadline 2028-03-10, a start made by it declared until 2028-03-25.
    reporting: [obligationsOpened(centerId, '2026-03-10', '2028-03-10', '2028-03-25')].map(
      at('2026-03-10T03:00:00Z'),
    ),
    finance: [
      finance.accountOpened(centerId, district, '2026-03-10'),
      finance.grant(centerId, `g-${centerId}`, 1, '150000000'),
      finance.disbursement(centerId, `d-${centerId}`, 1, '100000000'),
      finance.expenditure(centerId, `e-${centerId}`, '房租费', '3000000'),
    ].map(at('2026-06-01T03:00:00Z')),
    assessment: [gradeEvent(centerId, 2026, '不合格'), gradeEvent(centerId, 2027, '不合格'), revoked].map(
      at('2028-02-15T03:00:00Z'),
    ),
  };
}

/**
 * Rebuild and as-of on real PostgreSQL and Kafka: a rebuild equals the live model; as-of shows the past
 * phases; a duplicated and a reordered-across-topics delivery leave the models as an in-order fold.
 */
describe('read side: rebuild, as-of and delivery order', () => {
  const environment = testEnvironment(uniqueName('readside'));
  const publisher = new KafkaEventPublisher(createKafka('readside-test', testInfra().kafkaBrokers));
  let registry: ServiceUnderTest;
  const publish = (service: ServiceName, events: EventEnvelope[]) =>
    publisher.publish(serviceTopic(service, environment.topicPrefix), events.map(toWire));
  const center = 'center-life';
  const story = life(center, '南关区');
  const inOrder = [
    ...story.intake,
    ...story.review,
    ...story.reporting,
    ...story.finance,
    ...story.assessment,
  ];

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
    // Reordered across topics: later stages published first; finance's grant also delivered twice.
    await publish('assessment', story.assessment);
    await publish('reporting', story.reporting);
    await publish('finance', [...story.finance, story.finance[1]]);
    await publish('review', story.review);
    await publish('intake', [...story.intake, story.intake[0]]);
  });

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.close();
  });

  const bureau = () => registry.token({ role: 'city_bureau' });
  const get = async (path: string) =>
    conforming(
      await request(registry.app.getHttpServer())
        .get(path)
        .set('authorization', `Bearer ${await bureau()}`),
    );
  const post = async (path: string, token: string) =>
    conforming(
      await request(registry.app.getHttpServer()).post(path).set('authorization', `Bearer ${token}`),
    );

  it('applies a duplicated, reordered delivery as the in-order fold of the events', async () => {
    const expected = foldDocuments(standingReducer, inOrder).get(center);
    expect(expected).toMatchObject({ phase: 'revoked', startDeclarationsCloseOn: '2028-03-25' });
    await eventually(async () => {
      const { rows } = await registry.db.pool.query(
        `select row from standing.standing where center_id = $1`,
        [center],
      );
      expect(rows[0]?.row).toEqual(expected);
    });
    const expectedLedger = foldDocuments(ledgerReducer, inOrder).get(center);
    expect(expectedLedger?.entries).toHaveLength(3);
    await eventually(async () => {
      const { rows } = await registry.db.pool.query<{ state: StoredLedger }>(
        `select state from ledger.ledger_centers where center_id = $1`,
        [center],
      );
      expect(rows[0] && decodeLedger(rows[0].state)).toEqual(expectedLedger);
    });
  });

  it('shows the phase as recorded at three instants, without touching the live tables', async () => {
    const projectors = readModels(environment.topicPrefix);
    const before = await readModelChecksum(registry.db.pool, projectors.standing, 'standing');
    const phaseAt = async (instant: string) => {
      const res = await get(`/standing/as-of?at=${encodeURIComponent(instant)}&centerId=${center}`);
      expect(res.status).toBe(200);
      return res.body.items.map((s: { phase: string }) => s.phase);
    };
    expect(await phaseAt('2026-03-01T00:00:00+08:00')).toEqual([]);
    expect(await phaseAt('2026-03-09T00:00:00+08:00')).toEqual(['accepted']);
    expect(await phaseAt('2026-12-31T00:00:00+08:00')).toEqual(['recognised']);
    expect(await phaseAt('2028-03-01T00:00:00+08:00')).toEqual(['revoked']);
    expect(await readModelChecksum(registry.db.pool, projectors.standing, 'standing')).toBe(before);
    const bad = await get('/standing/as-of?at=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('at: 2026-02-30 is not a date of the calendar');
  });

  it('shows the standing and the ledgers as of a date: the end of that day in Asia/Shanghai', async () => {
    const phaseOn = async (date: string) => {
      const res = await get(`/standing/as-of?at=${date}&centerId=${center}`);
      expect(res.status).toBe(200);
      return res.body.items.map((s: { phase: string }) => s.phase);
    };
    // intake recorded 2026-03-08 11:00 +08:00, review (recognition) 2026-03-10 11:00 +08:00.
    expect(await phaseOn('2026-03-07')).toEqual([]);
    expect(await phaseOn('2026-03-08')).toEqual(['accepted']);
    expect(await phaseOn('2026-03-09')).toEqual(['accepted']);
    // The whole of 10 March, not its first instant.
    expect(await phaseOn('2026-03-10')).toEqual(['recognised']);
    const answer = await get(`/standing/as-of?at=2026-03-10&centerId=${center}`);
    expect(answer.body).toMatchObject({ at: '2026-03-10T15:59:59.999Z', date: '2026-03-10' });
    // reporting recorded the A17.3a declaration window at recognition too; not known the day before.
    expect(answer.body.items[0].startDeclarationsCloseOn).toBe('2028-03-25');
    const dayBefore = await get(`/standing/as-of?at=2026-03-09&centerId=${center}`);
    expect(dayBefore.body.items[0].startDeclarationsCloseOn).toBeNull();
    // finance recorded 2026-06-01 11:00 +08:00.
    const ledgerOn = async (date: string) => (await get(`/ledger/as-of?at=${date}&centerId=${center}`)).body;
    expect((await ledgerOn('2026-05-31')).items).toEqual([]);
    expect((await ledgerOn('2026-06-01')).items[0].years[0]).toMatchObject({ granted: '150000000' });
  });

  it('shows the standing and the ledgers as of a Kafka position, each end offset exclusive', async () => {
    const admin = createKafka('readside-admin', testInfra().kafkaBrokers).admin();
    await admin.connect();
    const assessment = serviceTopic('assessment', environment.topicPrefix);
    const financeTopic = serviceTopic('finance', environment.topicPrefix);
    const used = async (topic: string) =>
      (await admin.fetchTopicOffsets(topic)).find((p) => Number(p.high) > 0)!.partition;
    const [a, f] = [await used(assessment), await used(financeTopic)];
    await admin.disconnect();
    const position = (offsets: object) => encodeURIComponent(JSON.stringify(offsets));
    const standingAt = async (offset: number) => {
      const res = await get(
        `/standing/as-of?endOffsets=${position({ [assessment]: { [a]: offset } })}&centerId=${center}`,
      );
      expect(res.status).toBe(200);
      return res.body;
    };
    // assessment's partition holds 2026 不合格, 2027 不合格, the revocation: offsets 0, 1, 2.
    const twoGrades = await standingAt(2);
    expect(twoGrades.items[0]).toMatchObject({
      phase: 'recognised',
      grades: { 2026: '不合格', 2027: '不合格' },
    });
    expect(twoGrades.endOffsets[assessment][a]).toBe('2');
    // Every other partition is read to its end, and the answer says where that was.
    expect(Object.keys(twoGrades.endOffsets).sort()).toEqual(
      SERVICES.map((s) => serviceTopic(s, environment.topicPrefix)).sort(),
    );
    expect(twoGrades.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await standingAt(3)).items[0].phase).toBe('revoked');
    const noGrades = (await standingAt(0)).items[0];
    expect(noGrades.phase).toBe('recognised');
    expect(noGrades.grades).toEqual({});
    // finance's partition: account opened, grant, disbursement, …; a position on other topics is ignored.
    const ledger = await get(
      `/ledger/as-of?endOffsets=${position({ [financeTopic]: { [f]: 2 }, [assessment]: { [a]: 0 } })}&centerId=${center}`,
    );
    expect(ledger.status).toBe(200);
    expect(ledger.body.items[0].years[0]).toMatchObject({ granted: '150000000', disbursed: '0' });
    expect(Object.keys(ledger.body.endOffsets)).toEqual([financeTopic]);
    expect(ledger.body.endOffsets[financeTopic][f]).toBe('2');

    const refusals = {
      [`/standing/as-of?at=2026-03-10&endOffsets=${position({ [assessment]: { [a]: 1 } })}`]:
        'at: endOffsets is given too; give one of them',
      '/standing/as-of': 'at: required',
      '/ledger/as-of?endOffsets=%7Bx': 'endOffsets: must be JSON',
      [`/ledger/as-of?endOffsets=${position({ 'nqpf.other.events': { 0: 1 } })}`]:
        'endOffsets: unknown topic',
      [`/standing/as-of?endOffsets=${position({ [assessment]: { [a]: -1 } })}`]: `endOffsets.${assessment}.${a}: must be an offset`,
      [`/standing/as-of?endOffsets=${position({ [assessment]: { 999: 1 } })}`]: `endOffsets.${assessment}: topic has no partition 999`,
      [`/ledger/as-of?endOffsets=${position({ [financeTopic]: { [f]: 1000 } })}`]: `endOffsets.${financeTopic}.${f}: 1000 is past the partition's end offset`,
    };
    await expectRefusedAsInvalid(refusals, (path) => get(path));
  });

  it('rebuilds both models from offset zero to the live checksums, verify-only or swapped', async () => {
    const verify = await post('/admin/rebuild?verifyOnly=true', await bureau());
    expect(verify.status).toBe(200);
    expect(verify.body.results).toEqual([
      expect.objectContaining({ readModel: 'standing', matches: true, swapped: false }),
      expect.objectContaining({ readModel: 'ledger', matches: true, swapped: false }),
    ]);
    const swapped = await post('/admin/rebuild', await bureau());
    expect(
      swapped.body.results.map((r: { matches: boolean; swapped: boolean }) => [r.matches, r.swapped]),
    ).toEqual([
      [true, true],
      [true, true],
    ]);
    const projectors = readModels(environment.topicPrefix);
    expect(await readModelChecksum(registry.db.pool, projectors.ledger, 'ledger')).toBe(
      swapped.body.results[1].rebuiltChecksum,
    );
    const { rows } = await registry.db.pool.query(
      `select nspname from pg_namespace where nspname like 'standing%' or nspname like 'ledger%' order by 1`,
    );
    expect(rows.map((r) => r.nspname)).toEqual(['ledger', 'standing']);
    expect((await get(`/standing/${center}`)).body.phase).toBe('revoked');
  });

  it('rebuilds nothing, not even the free model, while another rebuild holds one of them: 409', async () => {
    const other = await registry.db.pool.connect();
    const standingOid = async () =>
      (await registry.db.pool.query(`select oid from pg_namespace where nspname = 'standing'`)).rows[0].oid;
    try {
      await other.query(`select pg_advisory_lock(hashtext('nqpf.projection.rebuild:ledger'))`);
      const before = await standingOid();
      const busy = await post('/admin/rebuild', await bureau());
      expect(busy.status).toBe(409);
      expect(busy.body.message).toContain('ledger');
      expect(await standingOid()).toBe(before);
      const misspelt = await post('/admin/rebuild?verifyonly=true', await bureau());
      expect(misspelt.status).toBe(400);
      expect(misspelt.body).toMatchObject({ error: 'invalid_input', field: 'verifyonly' });
      expect(misspelt.body.message).toMatch(/^verifyonly: not a parameter of this route/);
    } finally {
      await other.query(`select pg_advisory_unlock(hashtext('nqpf.projection.rebuild:ledger'))`);
      other.release();
    }
  });

  it('verifies from the command line with DATABASE_URL and KAFKA_BROKERS: equal checksums, exit 0', async () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await nqpfRebuild(['--verify-only', '--json'], {
        DATABASE_URL: registry.db.url,
        KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: environment.topicPrefix,
      });
      expect(code).toBe(0);
      const printed = JSON.parse(String(out.mock.calls[0][0]));
      expect(printed.map((r: { matches: boolean }) => r.matches)).toEqual([true, true]);
    } finally {
      out.mockRestore();
    }
  });

  it('lets only the bureau rebuild: an auditor reads everything but changes nothing', async () => {
    const auditor = await registry.token({ role: 'auditor' });
    expect((await post('/admin/rebuild?verifyOnly=true', auditor)).status).toBe(403);
  });
});
