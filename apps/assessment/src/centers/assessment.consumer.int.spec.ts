import type { PoolClient } from 'pg';
import {
  deadLetterTopic,
  MajorChangeEvaluatedV1,
  OperationStartedV1,
  ReportingEventTypes,
  ReviewEventTypes,
  serviceTopic,
  uuidv7,
} from '@nqpf/contracts';
import { createKafka, createTopics, passesByItself } from '@nqpf/messaging';
import { ManualClock, PublishedPolicies } from '@nqpf/platform';
import { decideOperatingDeadline, defaultPolicy } from '@nqpf/rules';
import {
  startService,
  ServiceUnderTest,
  testEnvironment,
  testInfra,
  uniqueName,
  begin as beginOn,
  inTransaction as inTransactionOn,
  waitingForLock,
  foreignEvent,
  recognitionPayload,
  laterPolicy,
  eventually,
  publishEvent,
} from '@nqpf/testing';
import { AssessmentModule } from '../assessment.module';
import { loadAssessmentConfig } from '../config';
import { AssessmentConsumer } from './assessment.consumer';
import { parkedEvents } from './assessment.store';
import { CenterExecutor } from './center.executor';
import { centersGroupId } from './reporting-copy';
import { areaShrank } from '../domain/center/center.spec-helper';

const recognition = (centerId: string) =>
  foreignEvent(ReviewEventTypes.CenterRecognized, centerId, recognitionPayload(centerId, '朝阳区'));

const operationStarted = (centerId: string, startedOn: string, confirmedOn: string) =>
  foreignEvent<OperationStartedV1>(ReportingEventTypes.OperationStarted, centerId, {
    centerId,
    startedOn,
    declaredOn: startedOn,
    confirmedOn,
    decision: decideOperatingDeadline(
      { recognizedOn: '2026-03-10', operationStartedOn: startedOn, asOf: confirmedOn },
      defaultPolicy,
    ),
  });

/**
 * Assessment's consumer on real transactions: parking an event of a center not tracked yet and the
 * recognition taking parked events back, interleaved as two consumer groups or replicas would; and the day
 * a revocation carries.
 */
describe("assessment's consumer: parked events, the center lock and the facts' days", () => {
  const environment = testEnvironment(uniqueName('assessment-consumer'));
  const kafka = createKafka('assessment-consumer-test', testInfra().kafkaBrokers);
  const clock = new ManualClock(new Date('2026-04-02T10:00:00+08:00'));
  let assessment: ServiceUnderTest;
  let consumer: AssessmentConsumer;

  beforeAll(async () => {
    const prefix = environment.topicPrefix;
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('reporting', prefix)], 3);
    assessment = await startService('assessment', environment, (env) =>
      AssessmentModule.forRoot(loadAssessmentConfig(env), env, { clock }),
    );
    consumer = assessment.app.get(AssessmentConsumer);
  });

  afterAll(async () => assessment?.close());

  const begin = () => beginOn(assessment.db.pool);
  const inTransaction = (work: (tx: PoolClient) => Promise<void>) =>
    inTransactionOn(assessment.db.pool, work);

  const waitingOn = (pattern: string) => waitingForLock(assessment.db.pool, pattern);

  const center = async (centerId: string) => (await assessment.app.get(CenterExecutor).load(centerId)).state;

  it('passes over a record of a type it does not act on, however malformed, instead of dead-lettering it', async () => {
    const centerId = uuidv7();
    const review = serviceTopic('review', environment.topicPrefix);
    // Same key, so the same partition, before the recognition: a review event assessment has no use for.
    await publishEvent(kafka, review, ReviewEventTypes.ExpertRegistered, { centerId });
    await publishEvent(kafka, review, ReviewEventTypes.CenterRecognized, {
      ...recognitionPayload(centerId, '朝阳区'),
    });
    await eventually(async () => expect((await center(centerId)).status).not.toBe('none'), 60_000);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const dlt = deadLetterTopic(centersGroupId(environment.topicPrefix));
      const topics = await admin.listTopics();
      const offsets = topics.includes(dlt) ? await admin.fetchTopicOffsets(dlt) : [];
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(0);
    } finally {
      await admin.disconnect();
    }
  });

  it("tracks a center under the policy version its recognition records, not its own copy's version of that date", async () => {
    // Review recognised under policy-2026.1 (its copy had not read the later version yet); this copy has.
    await assessment.app.get(PublishedPolicies).record(laterPolicy('2031-01-01'));
    const recorded = uuidv7();
    const older = uuidv7();
    const recognisedOn = (centerId: string, policyVersion?: string) =>
      foreignEvent(ReviewEventTypes.CenterRecognized, centerId, {
        ...recognitionPayload(centerId, '朝阳区', '2031-01-05'),
        ...(policyVersion ? { policyVersion } : {}),
      });
    await inTransaction((tx) => consumer.handle(recognisedOn(recorded, defaultPolicy.version), tx));
    await inTransaction((tx) => consumer.handle(recognisedOn(older), tx)); // recorded before the field
    expect(await center(recorded)).toMatchObject({
      policyVersion: defaultPolicy.version,
      operatingDeadline: '2033-01-05',
    });
    expect(await center(older)).toMatchObject({
      policyVersion: 'later-2031',
      operatingDeadline: '2034-01-05',
    });
  });

  describe('parking and taking back serialise per center (pg_advisory_xact_lock)', () => {
    it('applies a start parked, uncommitted, while the recognition takes the parked events back', async () => {
      const centerId = uuidv7();
      const parking = await begin();
      const recognising = await begin();
      try {
        await consumer.handle(operationStarted(centerId, '2026-04-01', '2026-04-02'), parking); // parked
        const taking = consumer.handle(recognition(centerId), recognising);
        // Unordered, the recognition finishes now, its delete missing the uncommitted park; ordered, it waits.
        await Promise.race([taking, waitingOn('%pg_advisory_xact_lock%')]);
        await parking.query('commit');
        await taking;
        await recognising.query('commit');
      } finally {
        parking.release();
        recognising.release();
      }
      expect(await parkedEvents.count(assessment.db.pool, centerId)).toBe(0);
      expect(await center(centerId)).toMatchObject({ status: 'operating', startedOn: '2026-04-01' });
    });

    it('applies a start read while the recognition that tracks the center is uncommitted', async () => {
      const centerId = uuidv7();
      const recognising = await begin();
      const starting = await begin();
      try {
        await consumer.handle(recognition(centerId), recognising); // tracked, nothing to take, not committed
        const applying = consumer.handle(operationStarted(centerId, '2026-04-01', '2026-04-02'), starting);
        // Unordered, the start sees no center and parks after the take; ordered, it waits and then applies.
        await Promise.race([applying, waitingOn('%pg_advisory_xact_lock%')]);
        await recognising.query('commit');
        await applying;
        await starting.query('commit');
      } finally {
        recognising.release();
        starting.release();
      }
      expect(await parkedEvents.count(assessment.db.pool, centerId)).toBe(0);
      expect(await center(centerId)).toMatchObject({ status: 'operating', startedOn: '2026-04-01' });
    });
  });

  it('tracks the center though a parked event fails when taken back, which stays parked alone', async () => {
    const centerId = uuidv7();
    const broken = { ...operationStarted(centerId, '2026-04-01', '2026-04-02'), payload: { centerId } };
    await inTransaction((tx) => consumer.handle(broken as never, tx)); // parked: no center yet
    await inTransaction((tx) => consumer.handle(operationStarted(centerId, '2026-04-01', '2026-04-02'), tx));
    await inTransaction((tx) => consumer.handle(recognition(centerId), tx));
    expect(await center(centerId)).toMatchObject({ status: 'operating', startedOn: '2026-04-01' });
    expect(await parkedEvents.count(assessment.db.pool, centerId)).toBe(1);
  });

  it('leaves a key whose parked events hold a version it does not know to a newer replica, applying none', async () => {
    // A newer replica parked a start at schema version 2; this one then reads the recognition.
    const centerId = uuidv7();
    const newer = { ...operationStarted(centerId, '2026-04-01', '2026-04-02'), schemaVersion: 2 };
    await inTransaction((tx) => consumer.handle(operationStarted(centerId, '2026-04-01', '2026-04-02'), tx));
    await inTransaction((tx) => parkedEvents.park(tx, centerId, newer));
    const taking = inTransaction((tx) => consumer.handle(recognition(centerId), tx));
    // Passes by itself (the consumer waits, the recognition and the parked events with it), never applied.
    await expect(taking).rejects.toMatchObject({
      name: 'UnknownSchemaVersionError',
      message: expect.stringContaining(`${ReportingEventTypes.OperationStarted} at schema version 2`),
    });
    await expect(taking.catch((err: Error) => passesByItself(err))).resolves.toBe(true);
    expect(await center(centerId)).toMatchObject({ status: 'none' });
    expect(await parkedEvents.count(assessment.db.pool, centerId)).toBe(2);
    // At start, left to a newer replica at once (waiting would not teach this one the version), still parked.
    const unretried = await consumer.retryParked();
    expect(unretried.filter((u) => u.key === centerId)).toEqual([
      { key: centerId, error: expect.objectContaining({ name: 'UnknownSchemaVersionError' }) },
    ]);
    expect(await parkedEvents.count(assessment.db.pool, centerId)).toBe(2);
    await assessment.db.pool.query('delete from assessment.parked_events where key = $1', [centerId]);
  });

  it('tries parked events again at start: applied once their center is tracked, else parked again', async () => {
    const tracked = uuidv7();
    const untracked = uuidv7();
    await inTransaction((tx) => consumer.handle(operationStarted(tracked, '2026-04-01', '2026-04-02'), tx));
    await inTransaction((tx) => consumer.handle(operationStarted(untracked, '2026-04-01', '2026-04-02'), tx));
    // The center is tracked while its parked start stays behind (as when applying it failed before a fix).
    const aside = `aside-${tracked}`;
    const move = (from: string, to: string) =>
      assessment.db.pool.query('update assessment.parked_events set key = $2 where key = $1', [from, to]);
    await move(tracked, aside);
    await inTransaction((tx) => consumer.handle(recognition(tracked), tx));
    await move(aside, tracked);
    expect(await center(tracked)).toMatchObject({ status: 'recognised' });

    await consumer.retryParked();
    expect(await center(tracked)).toMatchObject({ status: 'operating', startedOn: '2026-04-01' });
    expect(await parkedEvents.count(assessment.db.pool, tracked)).toBe(0);
    expect(await parkedEvents.count(assessment.db.pool, untracked)).toBe(1);
    expect(await center(untracked)).toMatchObject({ status: 'none' });
  });

  describe('a revocation is dated by the day its facts carry, not the day assessment reads them', () => {
    it('A17.3a: a start after the deadline, from the day after the deadline', async () => {
      const centerId = uuidv7();
      await inTransaction((tx) => consumer.handle(recognition(centerId), tx));
      clock.set('2028-03-20T10:00:00+08:00');
      await inTransaction((tx) =>
        consumer.handle(operationStarted(centerId, '2028-03-14', '2028-03-16'), tx),
      );
      expect(await center(centerId)).toMatchObject({
        status: 'revoked',
        revocation: { ruleId: 'A17.3a', revokedOn: '2028-03-11' },
      });
    });

    it('A16: no longer eligible after a major change, on the day reporting re-checked the facts', async () => {
      const centerId = uuidv7();
      await inTransaction((tx) => consumer.handle(recognition(centerId), tx));
      clock.set('2027-04-09T10:00:00+08:00');
      await inTransaction((tx) =>
        consumer.handle(
          foreignEvent<MajorChangeEvaluatedV1>(ReportingEventTypes.MajorChangeEvaluated, centerId, {
            centerId,
            changeId: uuidv7(),
            stillEligible: false,
            failed: ['A6.1:buildingArea'],
            evaluatedOn: '2027-04-03',
            decision: areaShrank as MajorChangeEvaluatedV1['decision'],
          }),
          tx,
        ),
      );
      expect(await center(centerId)).toMatchObject({
        status: 'revoked',
        revocation: { ruleId: 'A16', revokedOn: '2027-04-03' },
      });
    });
  });
});
