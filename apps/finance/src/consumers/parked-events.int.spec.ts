import type { PoolClient } from 'pg';
import {
  AssessmentCompletedV1,
  AssessmentEventTypes,
  EventEnvelope,
  ReviewEventTypes,
  serviceTopic,
  uuidv7,
} from '@nqpf/contracts';
import { createKafka, createTopics } from '@nqpf/messaging';
import { ManualClock, MetricsRegistry } from '@nqpf/platform';
import { decideConsecutiveUnqualified, defaultPolicy } from '@nqpf/rules';
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
} from '@nqpf/testing';
import { loadFinanceConfig } from '../config';
import { FinanceModule } from '../finance.module';
import { AssessmentsConsumer } from './assessments.consumer';
import { InboundAppender, parkedInbound } from './inbound-appender';
import { RecognitionsConsumer } from './recognitions.consumer';

const recognition = (centerId: string) =>
  foreignEvent(ReviewEventTypes.CenterRecognized, centerId, recognitionPayload(centerId, '南关区'));

/** The assessment of support year `supportYear` (calendar year `year`), graded 良好. */
const assessment = (centerId: string, year = 2026, supportYear = 1) =>
  foreignEvent<AssessmentCompletedV1>(AssessmentEventTypes.AssessmentCompleted, centerId, {
    centerId,
    year,
    supportYear,
    grade: '良好',
    method: 'direct',
    indicators: null,
    score: null,
    reason: 'direct grade by the bureau',
    activityCount: 120,
    reportCompliance: { due: 5, filedOnTime: 5, filedLate: 0, missing: 0 },
    assessedOn: `${year + 1}-01-20`,
    decision: null,
    revocationCheck: decideConsecutiveUnqualified({ grades: [{ year, grade: '良好' }] }, defaultPolicy),
  } as AssessmentCompletedV1);

/** Support year 2, granted on the 2026 assessment. */
const GRANTED = { status: 'granted', basis: { kind: 'assessment', assessedYear: 2026, grade: '良好' } };

/**
 * Finance's two consumer groups on one center: a recognition taking parked events back while an assessment
 * event parks one, each in its own real transaction (the consumers' inbox transactions), interleaved.
 */
describe('finance: parked assessment events and the recognition that opens the account', () => {
  const environment = testEnvironment(uniqueName('finance-parked'));
  const clock = new ManualClock(new Date('2027-02-15T02:00:00Z'));
  let finance: ServiceUnderTest;
  let recognitions: RecognitionsConsumer;
  let assessments: AssessmentsConsumer;

  beforeAll(async () => {
    const prefix = environment.topicPrefix;
    const kafka = createKafka('finance-parked-test', testInfra().kafkaBrokers);
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    finance = await startService('finance', environment, (env) =>
      FinanceModule.forRoot(loadFinanceConfig(env), env, { clock }),
    );
    recognitions = finance.app.get(RecognitionsConsumer);
    assessments = finance.app.get(AssessmentsConsumer);
  });

  afterAll(async () => finance?.close());

  const begin = () => beginOn(finance.db.pool);
  const inTransaction = (work: (tx: PoolClient) => Promise<void>) => inTransactionOn(finance.db.pool, work);

  const waitingOn = (pattern: string) => waitingForLock(finance.db.pool, pattern);

  const account = async (centerId: string) => {
    const tx = await finance.db.pool.connect();
    try {
      return (await finance.app.get(InboundAppender).account(tx, centerId)).state;
    } finally {
      tx.release();
    }
  };
  const year2 = async (centerId: string) => {
    const state = await account(centerId);
    return state.status === 'none' ? undefined : state.years[1];
  };

  it('grants on an assessment parked, uncommitted, while the recognition takes the parked events back', async () => {
    const centerId = uuidv7();
    const parking = await begin();
    const recognising = await begin();
    try {
      await assessments.handle(assessment(centerId), parking); // parked, not yet committed
      const taking = recognitions.handle(recognition(centerId), recognising);
      // Unordered, the recognition finishes now, its delete missing the uncommitted park; ordered, it waits.
      await Promise.race([taking, waitingOn('%pg_advisory_xact_lock%')]);
      await parking.query('commit');
      await taking;
      await recognising.query('commit');
    } finally {
      parking.release();
      recognising.release();
    }
    expect(await parkedInbound.count(finance.db.pool, centerId)).toBe(0);
    expect(await year2(centerId)).toMatchObject(GRANTED);
  });

  it('grants on an assessment read while the recognition that opens the account is uncommitted', async () => {
    const centerId = uuidv7();
    const recognising = await begin();
    const parking = await begin();
    try {
      await recognitions.handle(recognition(centerId), recognising); // opened, nothing to take, not committed
      const assessing = assessments.handle(assessment(centerId), parking);
      // Unordered, the assessment sees no account and parks after the take; ordered, it waits and then grants.
      await Promise.race([assessing, waitingOn('%pg_advisory_xact_lock%')]);
      await recognising.query('commit');
      await assessing;
      await parking.query('commit');
    } finally {
      parking.release();
      recognising.release();
    }
    expect(await parkedInbound.count(finance.db.pool, centerId)).toBe(0);
    expect(await year2(centerId)).toMatchObject(GRANTED);
  });

  it('opens the account when a parked event fails on being taken back, and keeps that event parked', async () => {
    const centerId = uuidv7();
    // Support year 4 under a later policy; the account opens with the 3 years of the policy in force.
    const unknownYear = assessment(centerId, 2029, 4);
    const good = assessment(centerId);
    await inTransaction((tx) => assessments.handle(unknownYear, tx));
    await inTransaction((tx) => assessments.handle(good, tx));
    expect(await parkedInbound.count(finance.db.pool, centerId)).toBe(2);

    await inTransaction((tx) => recognitions.handle(recognition(centerId), tx));

    expect((await account(centerId)).status).toBe('open');
    expect(await year2(centerId)).toMatchObject(GRANTED);
    const { rows } = await finance.db.pool.query<{ event: EventEnvelope }>(
      `select event from finance_inbound.parked_events where key = $1`,
      [centerId],
    );
    expect(rows.map((r) => r.event.id)).toEqual([unknownYear.id]);
    const gauge = await finance.app.get(MetricsRegistry).registry.getSingleMetricAsString('parked_events');
    expect(gauge).toMatch(/^parked_events\{schema="finance_inbound"\} [1-9]/m);
  });

  it('tries parked events again at start: granted once the account is open, else parked again', async () => {
    const opened = uuidv7();
    const unopened = uuidv7();
    await inTransaction((tx) => assessments.handle(assessment(opened), tx));
    await inTransaction((tx) => assessments.handle(assessment(unopened), tx));
    // The account opens while the parked assessment stays behind (as when applying it failed before a fix).
    const move = (from: string, to: string) =>
      finance.db.pool.query('update finance_inbound.parked_events set key = $2 where key = $1', [from, to]);
    await move(opened, `aside-${opened}`);
    await inTransaction((tx) => recognitions.handle(recognition(opened), tx));
    await move(`aside-${opened}`, opened);
    expect(await year2(opened)).not.toMatchObject(GRANTED);

    await recognitions.retryParked();
    expect(await year2(opened)).toMatchObject(GRANTED);
    expect(await parkedInbound.count(finance.db.pool, opened)).toBe(0);
    expect(await parkedInbound.count(finance.db.pool, unopened)).toBe(1);
    expect(await account(unopened)).toMatchObject({ status: 'none' });
  });
});
