import {
  AssessmentCompletedV1,
  AssessmentEventTypes,
  CenterTrackedV1,
  OperationStartRecordedV1,
  ReviewEventTypes,
  uuidv7,
} from '@nqpf/contracts';
import { inboxTableName } from '@nqpf/messaging';
import { ManualClock } from '@nqpf/platform';
import { decideConsecutiveUnqualified, decideOperatingDeadline, defaultPolicy } from '@nqpf/rules';
import { eventually, foreignEvent, recognitionPayload } from '@nqpf/testing';
import { financeFedByTopics } from './finance-fed-by-topics.spec-helper';
import { parkedInbound } from './inbound-appender';

const RECOGNIZED_ON = '2026-03-10';
const DEADLINE = '2028-03-10';

/** assessment.center-tracked as assessment publishes it: the A17.3a deadline under the recognition's policy. */
const tracked = (centerId: string) =>
  foreignEvent<CenterTrackedV1>(
    AssessmentEventTypes.CenterTracked,
    centerId,
    {
      centerId,
      district: '南关区',
      operatorId: `op-${centerId}`,
      recognizedOn: RECOGNIZED_ON,
      operatingDeadline: DEADLINE,
      policyVersion: defaultPolicy.version,
      decision: decideOperatingDeadline({ recognizedOn: RECOGNIZED_ON, asOf: RECOGNIZED_ON }, defaultPolicy),
      supportYears: [1, 2, 3].map((n) => ({ supportYear: n, calendarYear: 2025 + n })),
    },
    `center-${centerId}`,
  );

/** assessment.operation-start-recorded: a start dated by the deadline, declared in the window after it. */
const started = (centerId: string, startedOn: string) =>
  foreignEvent<OperationStartRecordedV1>(
    AssessmentEventTypes.OperationStartRecorded,
    centerId,
    {
      centerId,
      startedOn,
      decision: decideOperatingDeadline(
        { recognizedOn: RECOGNIZED_ON, operationStartedOn: startedOn },
        defaultPolicy,
      ),
    },
    `center-${centerId}`,
  );

/** The assessment of `year` (support year `supportYear`), graded 良好: grants the next support year. */
const completed = (centerId: string, year: number, supportYear: number) =>
  foreignEvent<AssessmentCompletedV1>(
    AssessmentEventTypes.AssessmentCompleted,
    centerId,
    {
      centerId,
      year,
      supportYear,
      grade: '良好',
      method: 'direct',
      indicators: null,
      score: null,
      reason: `${year}年度考核意见`,
      activityCount: 120,
      reportCompliance: { due: 5, filedOnTime: 5, filedLate: 0, missing: 0 },
      assessedOn: `${year + 1}-01-20`,
      decision: null,
      revocationCheck: decideConsecutiveUnqualified({ grades: [{ year, grade: '良好' }] }, defaultPolicy),
    },
    `center-${centerId}`,
  );

/**
 * Finance on real PostgreSQL and Kafka: the A17.3a operating deadline assessment tracks reaches finance, and a
 * year-3 payment dated after it, with no start recorded, is refused until the officer acknowledges it.
 */
describe('finance: a payment after the A17.3a operating deadline', () => {
  // Today in Asia/Shanghai: 2028-03-20, ten days after the deadline, inside the declaration window.
  const clock = new ManualClock(new Date('2028-03-20T02:00:00Z'));
  const { prefix, finance, http, officer, publish, account } = financeFedByTopics('finance-deadline', clock);
  const pay = async (centerId: string, body: Record<string, unknown>) =>
    http()
      .post(`/accounts/${centerId}/disbursements`)
      .set('authorization', `Bearer ${await officer()}`)
      .send({ supportYear: 3, amountYuan: '100000.00', ...body });
  const handled = async (group: string, eventId: string) =>
    (
      await finance().db.pool.query(
        `select 1 from messaging.${inboxTableName(`${prefix}.finance.${group}`)} where event_id = $1`,
        [eventId],
      )
    ).rowCount === 1;

  /** Tracked before the recognition reaches finance (another topic), then recognised and year 3 granted. */
  async function year3Granted(): Promise<string> {
    const centerId = uuidv7();
    const track = tracked(centerId);
    await publish('assessment', track);
    await eventually(async () => expect(await handled('operating-deadlines', track.id)).toBe(true), 90_000);
    await publish(
      'review',
      foreignEvent(
        ReviewEventTypes.CenterRecognized,
        centerId,
        recognitionPayload(centerId, '南关区', RECOGNIZED_ON),
      ),
    );
    await publish('assessment', completed(centerId, 2026, 1), completed(centerId, 2027, 2));
    await eventually(
      async () => expect((await account(centerId)).years[2]).toMatchObject({ status: 'granted' }),
      90_000,
    );
    return centerId;
  }

  it('shows the deadline it read, refuses a payment dated after the revocation day (422 A17.3a naming the field), and records it acknowledged', async () => {
    const centerId = await year3Granted();
    // Read before the account existed, and not parked for it: the deadline is no event of the account.
    expect(await parkedInbound.count(finance().db.pool, centerId)).toBe(0);
    expect(await account(centerId)).toMatchObject({ operatingDeadline: DEADLINE, operationStartedOn: null });

    // The deadline day itself is still within.
    const onTheDay = await pay(centerId, { reference: 'TV-2028-0310', disbursedOn: DEADLINE });
    expect(onTheDay.status).toBe(201);
    // So is the day after it, the revocation day: not after the revocation, never named for recovery.
    const dayAfter = await pay(centerId, { reference: 'TV-2028-0311', disbursedOn: '2028-03-11' });
    expect(dayAfter.status).toBe(201);
    expect(dayAfter.body.recorded[0].payload).toMatchObject({
      deadlinePassedAcknowledged: false,
      operatingDeadlineCheck: { outcome: { status: 'missed', revoke: true } },
    });

    const refused = await pay(centerId, { reference: 'TV-2028-0320', disbursedOn: '2028-03-20' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error: 'rule_violation',
      rule: 'A17.3a',
      field: 'deadlinePassedAcknowledged',
      operatingDeadline: DEADLINE,
      operationStartedOn: null,
      disbursedOn: '2028-03-20',
    });
    expect((await account(centerId)).years[2]).toMatchObject({ disbursedFen: '20000000' });

    const acknowledged = await pay(centerId, {
      reference: 'TV-2028-0320',
      disbursedOn: '2028-03-20',
      deadlinePassedAcknowledged: true,
    });
    expect(acknowledged.status).toBe(201);
    expect(acknowledged.body.recorded[0].payload).toMatchObject({
      disbursedOn: '2028-03-20',
      deadlinePassedAcknowledged: true,
      operatingDeadlineCheck: {
        rule: 'operating-deadline',
        policyVersion: defaultPolicy.version,
        inputs: { recognizedOn: RECOGNIZED_ON, operationStartedOn: null, asOf: '2028-03-20' },
        outcome: { deadline: DEADLINE, status: 'missed', revoke: true },
      },
    });
    expect((await account(centerId)).years[2]).toMatchObject({ disbursedFen: '30000000' });
  });

  it('pays after the deadline without acknowledgement once a start made by it is recorded', async () => {
    const centerId = await year3Granted();
    expect((await pay(centerId, { reference: 'TV-2028-0400' })).status).toBe(422);
    await publish('assessment', started(centerId, '2028-03-08'));
    await eventually(async () =>
      expect(await account(centerId)).toMatchObject({
        operatingDeadline: DEADLINE,
        operationStartedOn: '2028-03-08',
      }),
    );
    const paid = await pay(centerId, { reference: 'TV-2028-0400' });
    expect(paid.status).toBe(201);
    expect(paid.body.recorded[0].payload).toMatchObject({
      disbursedOn: '2028-03-20',
      deadlinePassedAcknowledged: false,
      operatingDeadlineCheck: { outcome: { status: 'started-in-time', revoke: false } },
    });
  });

  it('says so in the OpenAPI description of the routes', async () => {
    const doc = await http().get('/docs-json').expect(200);
    const account = doc.body.paths['/accounts/{centerId}'].get.responses['200'];
    expect(account.description).toContain('operatingDeadline');
    expect(account.description).toContain('operationStartedOn');
    const disbursement = doc.body.paths['/accounts/{centerId}/disbursements'].post;
    expect(disbursement.responses['422'].description).toContain('A17.3a');
    expect(disbursement.responses['422'].description).toContain('deadlinePassedAcknowledged');
  });
});
