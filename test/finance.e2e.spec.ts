import request from 'supertest';
import { decideConsecutiveUnqualified, decideOperatingDeadline, defaultPolicy } from '@nqpf/rules';
import {
  AssessmentCompletedV1,
  AssessmentEventTypes,
  CenterRecognizedV1,
  EventEnvelope,
  ReviewEventTypes,
  serviceTopic,
  uuidv7,
} from '@nqpf/contracts';
import { createKafka, createTopics, inboxTableName, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import {
  eventually,
  startService,
  ServiceUnderTest,
  testEnvironment,
  testInfra,
  uniqueName,
  foreignEvent,
} from '@nqpf/testing';
import { loadFinanceConfig } from '../apps/finance/src/config';
import { parkedInbound } from '../apps/finance/src/consumers/inbound-appender';
import { FinanceModule } from '../apps/finance/src/finance.module';
import { ManualClock } from '@nqpf/platform';

/** `foreignEvent` on the stream the producing service names (review's candidacy, assessment's center). */
const envelope = <P>(type: string, centerId: string, streamId: string, payload: P) =>
  foreignEvent(type, centerId, payload, streamId);

const EVIDENCE = 'a'.repeat(64);

/**
 * Finance on real PostgreSQL and Kafka: other services' events open the account and grant support
 * years (A12); people disburse and spend through HTTP under A12/A13.
 */
describe('finance: recognition and assessment events → subsidy account, over HTTP', () => {
  const environment = testEnvironment(uniqueName('finance'));
  const prefix = environment.topicPrefix;
  const kafka = createKafka('finance-e2e', testInfra().kafkaBrokers);
  const publisher = new KafkaEventPublisher(kafka);
  const publish = (service: 'review' | 'assessment', ...events: EventEnvelope[]) =>
    publisher.publish(serviceTopic(service, prefix), events.map(toWire));
  let finance: ServiceUnderTest;
  // Decisions are dated by the service clock: mid-February 2027, after the 2026 assessment.
  const clock = new ManualClock(new Date('2027-02-15T02:00:00Z'));
  const centerId = uuidv7();

  const recognized: CenterRecognizedV1 = {
    centerId,
    recognitionDate: '2026-03-10',
    district: '南关区',
    operator: { accountId: 'op-1', name: '长春技术转移中心有限公司', creditCode: '91220102MA0000000X' },
    callId: uuidv7(),
  };
  const assessed = {
    centerId,
    year: 2026,
    supportYear: 1,
    grade: '良好',
    method: 'direct',
    indicators: null,
    score: null,
    reason: 'direct grade by the bureau',
    activityCount: 120,
    reportCompliance: { due: 5, filedOnTime: 5, filedLate: 0, missing: 0 },
    assessedOn: '2027-01-20',
    decision: null,
    revocationCheck: decideConsecutiveUnqualified({ grades: [{ year: 2026, grade: '良好' }] }, defaultPolicy),
  } as AssessmentCompletedV1;

  beforeAll(async () => {
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    finance = await startService('finance', environment, (env) =>
      FinanceModule.forRoot(loadFinanceConfig(env), env, { clock }),
    );
  });

  afterAll(async () => {
    await publisher.disconnect();
    await finance?.close();
  });

  const http = () => request(finance.app.getHttpServer());
  const account = async (token: string) =>
    (await http().get(`/accounts/${centerId}`).set('authorization', `Bearer ${token}`).expect(200)).body;

  it('opens the account on recognition and grants year 2 = base × 75 % on a 良好 assessment, once', async () => {
    await publish(
      'review',
      envelope(ReviewEventTypes.CenterRecognized, centerId, `candidacy-${centerId}`, recognized),
    );
    const auditor = await finance.token({ role: 'auditor' });
    const opened = await eventually(() => account(auditor));
    expect(opened).toMatchObject({ status: 'open', district: '南关区', operatorId: 'op-1' });
    expect(opened.years.map((y: { calendarYear: number }) => y.calendarYear)).toEqual([2026, 2027, 2028]);

    const assessment = envelope(
      AssessmentEventTypes.AssessmentCompleted,
      centerId,
      `center-${centerId}`,
      assessed,
    );
    const sameFactsAgain = { ...assessment, id: uuidv7() };
    await publish('assessment', assessment, assessment, sameFactsAgain);

    const inbox = `messaging.${inboxTableName(`${prefix}.finance.assessments`)}`;
    await eventually(async () => {
      // The last of the three on the partition: once it is in the inbox, all three were handled.
      const seen = await finance.db.pool.query(`select event_id from ${inbox} where event_id = $1`, [
        sameFactsAgain.id,
      ]);
      expect(seen.rowCount).toBe(1);
    });
    const granted = await account(auditor);
    expect(granted.years[1]).toMatchObject({ supportYear: 2, status: 'granted', grantedFen: '75000000' });
    expect(granted.entries.filter((e: { kind: string }) => e.kind === 'grant')).toHaveLength(1);

    const stored = await finance.db.pool.query(
      `select actor, causation_id from event_store.events where type = 'finance.grant-decided'`,
    );
    expect(stored.rows).toEqual([
      { actor: expect.objectContaining({ id: 'finance', role: 'system' }), causation_id: assessment.id },
    ]);
  });

  it('keeps an assessment read before the recognition (another topic) and grants on it once the account opens', async () => {
    const early = uuidv7();
    const assessment = envelope(AssessmentEventTypes.AssessmentCompleted, early, `center-${early}`, {
      ...assessed,
      centerId: early,
    });
    await publish('assessment', assessment);
    await eventually(async () => expect(await parkedInbound.count(finance.db.pool, early)).toBe(1));
    await publish(
      'review',
      envelope(ReviewEventTypes.CenterRecognized, early, `candidacy-${early}`, {
        ...recognized,
        centerId: early,
      }),
    );
    const auditor = await finance.token({ role: 'auditor' });
    const granted = await eventually(async () => {
      const res = await http()
        .get(`/accounts/${early}`)
        .set('authorization', `Bearer ${auditor}`)
        .expect(200);
      expect(res.body.years[1]).toMatchObject({ supportYear: 2, status: 'granted', grantedFen: '75000000' });
      return res.body;
    });
    expect(granted.entries.filter((e: { kind: string }) => e.kind === 'grant')).toHaveLength(1);
    expect(await parkedInbound.count(finance.db.pool, early)).toBe(0);
  });

  it('disburses within the grant (yuan or fen) and refuses a disbursement above it', async () => {
    const officer = await finance.token({ role: 'finance_officer', sub: 'fo-1' });
    const pay = (body: object) =>
      http().post(`/accounts/${centerId}/disbursements`).set('authorization', `Bearer ${officer}`).send(body);
    // Money leaves only against a voucher: without its reference, a 400 naming it, and nothing is recorded.
    for (const reference of [undefined, null, '', '  ']) {
      const unreferenced = await pay({ supportYear: 2, amountYuan: '100000.00', reference }).expect(400);
      expect(unreferenced.body).toMatchObject({ error: 'invalid_input', field: 'reference' });
    }
    const officerView = await account(officer);
    expect(officerView.years[1]).toMatchObject({ disbursedFen: '0' });
    const paid = await pay({ supportYear: 2, amountYuan: '100000.00', reference: ' TV-2027-0031 ' }).expect(
      201,
    );
    expect(paid.body.recorded[0].payload).toMatchObject({ reference: 'TV-2027-0031' });
    const refused = await pay({ supportYear: 2, amountFen: '65000001', reference: 'TV-2027-0032' }).expect(
      422,
    );
    expect(refused.body).toMatchObject({ rule: 'A12', field: 'amountFen' });
    const float = await pay({ supportYear: 2, amountYuan: 1.5, reference: 'TV-2027-0033' }).expect(400);
    expect(float.body.field).toBe('amountYuan');
    const bureau = await finance.token({ role: 'city_bureau' });
    expect((await account(bureau)).years[1]).toMatchObject({
      disbursedFen: '10000000',
      undisbursedFen: '65000000',
    });
  });

  it('corrects a disbursement by a reversal and a replacement, never by an edit', async () => {
    const officer = await finance.token({ role: 'finance_officer' });
    const before = await account(officer);
    const paid = before.entries.find((e: { kind: string }) => e.kind === 'disbursement');
    // The same correction of the payment, its replacement with `extra` beside the amount and the day.
    const correct = (extra: Record<string, string> = {}) =>
      http()
        .post(`/accounts/${centerId}/corrections`)
        .set('authorization', `Bearer ${officer}`)
        .send({
          reversesEntryId: paid.entryId,
          reason: 'voucher says 90000.00',
          replacement: { kind: 'disbursement', amountYuan: '90000.00', disbursedOn: '2027-02-14', ...extra },
        });
    // A field of the other kind of entry would be dropped: refused, naming it, and nothing is recorded.
    const stray = await correct({ category: 'rent' }).expect(400);
    expect(stray.body).toMatchObject({ field: 'replacement.category' });
    // A voucher given blank is refused, naming it: left out, the replaced payment's is kept.
    const blank = await correct({ reference: '  ' }).expect(400);
    expect(blank.body).toMatchObject({ error: 'invalid_input', field: 'replacement.reference' });
    expect((await account(officer)).entries).toHaveLength(before.entries.length);
    const corrected = await correct().expect(201);
    expect(corrected.body.recorded.map((r: { type: string }) => r.type)).toEqual([
      'finance.entry-reversed',
      'finance.disbursement-recorded',
    ]);
    expect(corrected.body.recorded[1].payload).toMatchObject({ reference: 'TV-2027-0031' });
    const after = await account(officer);
    expect(after.years[1]).toMatchObject({ disbursedFen: '9000000', undisbursedFen: '66000000' });
    const reversedBy = after.entries.find(
      (e: { entryId: string }) => e.entryId === paid.entryId,
    ).reversedByEntryId;
    // The account shows what the officer reconciles: the days, the reason of the reversal.
    expect(after.entries.slice(-2)).toEqual([
      expect.objectContaining({
        entryId: reversedBy,
        reason: 'voucher says 90000.00',
        on: expect.any(String),
      }),
      expect.objectContaining({ kind: 'disbursement', on: '2027-02-14', reason: null }),
    ]);

    // A payment recorded days after the treasury made it carries its own day; a voucher keyed again is refused.
    const dated = { supportYear: 2, amountFen: '100', reference: 'TV-2027-0042', disbursedOn: '2027-02-10' };
    const pay = (body: object) =>
      http().post(`/accounts/${centerId}/disbursements`).set('authorization', `Bearer ${officer}`).send(body);
    await pay(dated).expect(201);
    expect((await account(officer)).entries.at(-1)).toMatchObject({
      on: '2027-02-10',
      reference: 'TV-2027-0042',
    });
    const again = await pay({ ...dated, disbursedOn: '2027-02-11' }).expect(422);
    expect(again.body).toMatchObject({ rule: 'A12', field: 'reference' });
    const future = await pay({ ...dated, reference: 'TV-2027-0043', disbursedOn: '2099-01-01' }).expect(400);
    expect(future.body.field).toBe('disbursedOn');

    // A correction's replacement may not repeat another payment still standing either: one treasury payment,
    // one line of the ledger (422 A12 naming replacement.reference), and nothing is recorded.
    const replacementEntryId = corrected.body.recorded[1].payload.entryId;
    const standing = (await account(officer)).entries.length;
    const twice = await http()
      .post(`/accounts/${centerId}/corrections`)
      .set('authorization', `Bearer ${officer}`)
      .send({
        reversesEntryId: replacementEntryId,
        reason: 'paid under voucher 0042',
        replacement: {
          kind: 'disbursement',
          amountFen: '100',
          disbursedOn: '2027-02-10',
          reference: 'TV-2027-0042',
        },
      })
      .expect(422);
    expect(twice.body).toMatchObject({ rule: 'A12', field: 'replacement.reference' });
    expect((await account(officer)).entries).toHaveLength(standing);
  });

  it('rejects an expenditure on sponsorship (赞助) under A13 and records the decision', async () => {
    const operator = await finance.token({ role: 'operator', centerId });
    const sponsorship = () =>
      http().post(`/accounts/${centerId}/expenditures`).set('authorization', `Bearer ${operator}`).send({
        supportYear: 2,
        category: '赞助',
        amountFen: 100000,
        evidenceHash: EVIDENCE,
        spentOn: '2027-02-01',
      });
    const res = await sponsorship().expect(201);
    expect(res.body.recorded).toEqual([
      expect.objectContaining({
        type: 'finance.expenditure-rejected',
        payload: expect.objectContaining({
          decision: expect.objectContaining({ outcome: expect.objectContaining({ accepted: false }) }),
        }),
      }),
    ]);
    const shown = await account(operator);
    expect(shown.years[1].spentFen).toBe('0');
    expect(shown.rejectedExpenditures).toEqual([
      {
        expenditureId: res.body.recorded[0].payload.expenditureId,
        supportYear: 2,
        amountFen: '100000',
        category: 'sponsorship',
        spentOn: '2027-02-01',
        rejectedFor: ['A13:forbiddenUse'],
      },
    ]);
    // Sent again without an Idempotency-Key: the same rejection, not a second one.
    const again = await sponsorship().expect(409);
    expect(again.body.message).toContain(
      `rejected already as expenditure ${shown.rejectedExpenditures[0].expenditureId}`,
    );
    expect((await account(operator)).rejectedExpenditures).toHaveLength(1);
  });

  it("records year 2 money on the spending of 2026, year 1's calendar year, as an A13 rejection naming the window; a malformed day is a 400", async () => {
    const operator = await finance.token({ role: 'operator', centerId });
    const spend = (spentOn: string) =>
      http()
        .post(`/accounts/${centerId}/expenditures`)
        .set('authorization', `Bearer ${operator}`)
        .send({
          supportYear: 2,
          category: '房租费',
          amountFen: 20000,
          evidenceHash: 'b'.repeat(64),
          spentOn,
        });
    const res = await spend('2026-12-20').expect(201);
    const [rejected] = res.body.recorded;
    expect(rejected).toMatchObject({
      type: 'finance.expenditure-rejected',
      payload: {
        supportYear: 2,
        spentOn: '2026-12-20',
        decision: {
          inputs: { spentOn: '2026-12-20', supportYear: 2, calendarYear: 2027, decidedOn: '2027-02-15' },
          outcome: { accepted: false, rejectedFor: ['A13:withinSupportYear'] },
        },
      },
    });
    expect(rejected.payload.decision.reasons).toContainEqual(
      expect.objectContaining({
        ruleId: 'A13',
        criterion: 'withinSupportYear',
        measured: '2026-12-20',
        threshold: '2027-01-01..2027-02-15',
        passed: false,
      }),
    );
    const shown = await account(operator);
    expect(shown.years[1].spentFen).toBe('0');
    expect(shown.rejectedExpenditures).toContainEqual(
      expect.objectContaining({ spentOn: '2026-12-20', rejectedFor: ['A13:withinSupportYear'] }),
    );
    const malformed = await spend('2027-02-30').expect(400);
    expect(malformed.body).toMatchObject({ field: 'spentOn' });
  });

  it('grants year 1 on the costs the bureau approves: 50 % of approved, less only with a reason', async () => {
    const operator = await finance.token({ role: 'operator', centerId });
    const declare = (items: object[], reason?: string | null, replacesDeclarationId?: string | null) =>
      http()
        .post(`/accounts/${centerId}/year1-costs`)
        .set('authorization', `Bearer ${operator}`)
        .send({
          items,
          ...(reason === undefined ? {} : { reason }),
          ...(replacesDeclarationId === undefined ? {} : { replacesDeclarationId }),
        });
    const forbidden = await declare([{ category: '赞助', amountFen: '100', evidenceHash: EVIDENCE }]).expect(
      422,
    );
    expect(forbidden.body).toMatchObject({ rule: 'A13', field: 'items[0].category' });
    const rent = { category: '房租费', amountYuan: '2000000.00', evidenceHash: EVIDENCE };
    // A first declaration replaces nothing: a reason or a replaced declaration there is refused, not dropped.
    expect((await declare([rent], 'why').expect(400)).body.field).toBe('reason');
    expect((await declare([rent], undefined, 'd0').expect(400)).body.field).toBe('replacesDeclarationId');
    const first = await declare([rent]).expect(201);
    const firstId = first.body.recorded[0].payload.declarationId;
    expect(first.body.recorded[0].payload).not.toHaveProperty('reason');
    // Declared again before the bureau decides, it replaces the pending one it names — saying why, in writing.
    const items = [rent, { category: '建设费', amountFen: 300000000, evidenceHash: EVIDENCE }];
    for (const reason of [undefined, null, '', '  ']) {
      const unexplained = await declare(items, reason, firstId).expect(400);
      expect(unexplained.body).toMatchObject({ error: 'invalid_input', field: 'reason' });
    }
    for (const unnamed of [undefined, null, '', '  ']) {
      const unnamedReply = await declare(items, 'why', unnamed).expect(400);
      expect(unnamedReply.body).toMatchObject({ error: 'invalid_input', field: 'replacesDeclarationId' });
      expect(unnamedReply.body.message).toContain(firstId);
    }
    expect((await account(operator)).years[0].pendingDeclaration).toMatchObject({
      declarationId: firstId,
      totalFen: '200000000',
      replacesDeclarationId: null,
      reason: null,
    });
    const declared = await declare(items, '漏报建设费 3,000,000.00', firstId).expect(201);
    const { declarationId, totalFen } = declared.body.recorded[0].payload;
    expect(declared.body.recorded[0].payload).toMatchObject({
      replacesDeclarationId: firstId,
      reason: '漏报建设费 3,000,000.00',
    });
    expect(totalFen).toBe('500000000');
    // A re-declaration written about the first one, sent after it was replaced: 409 naming the pending one,
    // nothing replaced.
    const stale = await declare([rent], 'd1 amount keyed wrongly', firstId).expect(409);
    expect(stale.body.message).toContain(`the pending declaration is ${declarationId}`);
    // What the bureau approves is on the account: each declared cost with its evidence.
    const pending = (await account(operator)).years[0].pendingDeclaration;
    expect(pending).toMatchObject({
      declarationId,
      totalFen: '500000000',
      replacesDeclarationId: firstId,
      reason: '漏报建设费 3,000,000.00',
    });
    expect(pending.items).toEqual([
      { category: 'rent', amountFen: '200000000', evidenceHash: EVIDENCE, description: '' },
      { category: 'construction', amountFen: '300000000', evidenceHash: EVIDENCE, description: '' },
    ]);

    const bureau = await finance.token({ role: 'city_bureau' });
    const approve = (body: object) =>
      http()
        .post(`/accounts/${centerId}/year1-costs/approve`)
        .set('authorization', `Bearer ${bureau}`)
        .send({ declarationId, ...body });
    // The bureau read the first declaration; the operator replaced it since: out of date, 409.
    const staleApproval = await approve({ declarationId: firstId, approvedYuan: '2000000' }).expect(409);
    expect(staleApproval.body).toMatchObject({ error: 'illegal_transition' });
    expect(staleApproval.body.message).toContain(`the pending declaration is ${declarationId}`);
    const unexplained = await approve({ approvedYuan: '4000000' }).expect(400);
    expect(unexplained.body.field).toBe('reason');
    await approve({ approvedYuan: '4000000', reason: 'invoice 17 is not a year-1 cost' }).expect(200);
    expect((await account(bureau)).years[0]).toMatchObject({
      status: 'granted',
      grantedFen: '200000000',
      pendingDeclaration: null,
    });

    // Invoice 17 was a year-1 cost after all: the bureau corrects its approval, with why.
    const revise = (token: string, body: object) =>
      http()
        .post(`/accounts/${centerId}/year1-costs/revise`)
        .set('authorization', `Bearer ${token}`)
        .send({ declarationId, ...body });
    await revise(operator, { approvedYuan: '5000000', reason: 'mine' }).expect(403);
    expect((await revise(bureau, { approvedYuan: '5000000' }).expect(400)).body.field).toBe('reason');
    expect((await revise(bureau, { approvedYuan: '5000000.01', reason: 'x' }).expect(422)).body.rule).toBe(
      'A12.2',
    );
    const revised = await revise(bureau, {
      approvedYuan: '5000000',
      reason: 'invoice 17 is a year-1 cost (minutes 2026-05-20)',
    }).expect(200);
    expect(revised.body.recorded.map((e: { type: string }) => e.type)).toEqual([
      'finance.year1-approval-revised',
      'finance.grant-decided',
    ]);
    const after = await account(bureau);
    expect(after.years[0]).toMatchObject({ grantedFen: '250000000', basis: { approvedFen: '500000000' } });
    expect(
      after.entries.filter(
        (e: { kind: string; supportYear: number }) => e.kind === 'grant' && e.supportYear === 1,
      ),
    ).toEqual([
      expect.objectContaining({
        amountFen: '200000000',
        direction: 1,
        reversedByEntryId: expect.any(String),
      }),
      expect.objectContaining({
        amountFen: '200000000',
        direction: -1,
        reason: 'invoice 17 is a year-1 cost (minutes 2026-05-20)',
      }),
      expect.objectContaining({ amountFen: '250000000', direction: 1, reversedByEntryId: null }),
    ]);
  });

  it('keeps operators to their own center and district offices to their district (others: not found)', async () => {
    const other = await finance.token({ role: 'operator', centerId: uuidv7() });
    await http()
      .post(`/accounts/${centerId}/expenditures`)
      .set('authorization', `Bearer ${other}`)
      .send({
        supportYear: 2,
        category: '房租费',
        amountFen: 100,
        evidenceHash: EVIDENCE,
        spentOn: '2027-02-01',
      })
      .expect(404);
    await http().get(`/accounts/${centerId}`).set('authorization', `Bearer ${other}`).expect(404);
    const ownDistrict = await finance.token({ role: 'district_office', district: '南关区' });
    const otherDistrict = await finance.token({ role: 'district_office', district: '朝阳区' });
    await http().get(`/accounts/${centerId}`).set('authorization', `Bearer ${ownDistrict}`).expect(200);
    await http().get(`/accounts/${centerId}`).set('authorization', `Bearer ${otherDistrict}`).expect(404);
  });

  it('stops support on revocation: the undisbursed rest is cancelled and a payment dated after the revocation is named', async () => {
    // Paid on 2 July, recorded before finance reads the revocation of 30 June.
    const officer = await finance.token({ role: 'finance_officer' });
    clock.set('2027-07-02T02:00:00Z');
    const late = await http()
      .post(`/accounts/${centerId}/disbursements`)
      .set('authorization', `Bearer ${officer}`)
      .send({ supportYear: 2, amountFen: '100', reference: 'TV-2027-0702' })
      .expect(201);
    clock.set('2027-02-15T02:00:00Z');
    const revoked = {
      centerId,
      revokedOn: '2027-06-30',
      ruleId: 'A17.3a',
      reason: 'not-operating-within-deadline',
      explanation: { zh: '未在期限内运营', en: 'not operating within the deadline' },
      decision: decideOperatingDeadline({ recognizedOn: '2026-03-10', asOf: '2028-03-11' }, defaultPolicy),
    };
    await publish(
      'assessment',
      envelope(AssessmentEventTypes.CenterRevoked, centerId, `center-${centerId}`, revoked),
    );
    const stopped = await eventually(async () => {
      const body = await account(officer);
      expect(body.status).toBe('stopped');
      return body;
    });
    expect(stopped.years[1]).toMatchObject({ cancelledFen: '65999800', undisbursedFen: '0' });
    // The balance counts the late 100 fen; what may still be spent does not.
    expect(BigInt(stopped.years[1].balanceFen) - BigInt(stopped.years[1].spendableFen)).toBe(100n);
    expect(stopped.paidAfterRevocation).toEqual([
      {
        entryId: late.body.recorded[0].payload.entryId,
        supportYear: 2,
        amountFen: '100',
        disbursedOn: '2027-07-02',
      },
    ]);
    expect(stopped.years[2].status).toBe('cancelled');
  });

  it('after the stop records a payment made on or before the revocation day, from what the stop cancelled of its year, and refuses any other', async () => {
    // Recorded on 5 July; revoked on 30 June (the test before), year 1's 250 000 000 fen all cancelled.
    const officer = await finance.token({ role: 'finance_officer' });
    clock.set('2027-07-05T02:00:00Z');
    const pay = (body: object) =>
      http()
        .post(`/accounts/${centerId}/disbursements`)
        .set('authorization', `Bearer ${officer}`)
        .send({ reference: 'TV-2027-0705', ...body });
    const before = await account(officer);
    expect(before.years[0]).toMatchObject({ status: 'cancelled', cancelledFen: '250000000' });

    const paidAfter = await pay({ supportYear: 1, amountFen: '1', disbursedOn: '2027-07-01' }).expect(422);
    expect(paidAfter.body).toMatchObject({ rule: 'A17.3a', field: 'disbursedOn', revokedOn: '2027-06-30' });
    const today = await pay({ supportYear: 1, amountFen: '1' }).expect(422); // the default day: today
    expect(today.body).toMatchObject({ rule: 'A17.3a', field: 'disbursedOn' });
    const more = await pay({ supportYear: 1, amountFen: '250000001', disbursedOn: '2027-06-20' }).expect(422);
    expect(more.body).toMatchObject({ rule: 'A12', field: 'amountFen', cancelledFen: '250000000' });
    const nothingCancelled = await pay({ supportYear: 3, amountFen: '1', disbursedOn: '2027-06-20' }).expect(
      422,
    );
    expect(nothingCancelled.body).toMatchObject({ rule: 'A12', field: 'amountFen', cancelledFen: '0' });
    const impossible = await pay({ supportYear: 1, amountFen: '1', disbursedOn: '2027-06-31' }).expect(400);
    expect(impossible.body.field).toBe('disbursedOn');
    const malformed = await pay({ supportYear: 1, amountFen: '1', disbursedOn: '20.6.2027' }).expect(400);
    expect(malformed.body.message).toMatch(/disbursedOn/);
    expect(
      (await pay({ supportYear: 1, amountYuan: -1, disbursedOn: '2027-06-20' }).expect(400)).body.field,
    ).toBe('amountYuan');
    // Year 1 was granted on 15 February 2027: a payment of it dated before is none (A12).
    const beforeGrant = await pay({ supportYear: 1, amountFen: '1', disbursedOn: '2027-02-14' }).expect(422);
    expect(beforeGrant.body).toMatchObject({ rule: 'A12', field: 'disbursedOn', grantedOn: '2027-02-15' });
    // A correction does not move the payment of 2 July (to recover) to before the revocation day.
    const [late] = before.paidAfterRevocation;
    const moved = await http()
      .post(`/accounts/${centerId}/corrections`)
      .set('authorization', `Bearer ${officer}`)
      .send({
        reversesEntryId: late.entryId,
        reason: 'paid on 30 June',
        replacement: { kind: 'disbursement', amountFen: '100', disbursedOn: '2027-06-30' },
      })
      .expect(422);
    expect(moved.body).toMatchObject({
      rule: 'A17.3a',
      field: 'replacement.disbursedOn',
      revokedOn: '2027-06-30',
    });
    expect(await account(officer)).toEqual(before); // refused: nothing recorded

    const paid = await pay({
      supportYear: 1,
      amountYuan: '10000.00',
      disbursedOn: '2027-06-20',
      reference: 'TV-2027-0620',
    }).expect(201);
    expect(paid.body.recorded.map((r: { type: string }) => r.type)).toEqual([
      'finance.cancellation-reduced',
      'finance.disbursement-recorded',
    ]);
    const after = await account(officer);
    expect(after.years[0]).toMatchObject({
      status: 'cancelled',
      cancelledFen: '249000000',
      disbursedFen: '1000000',
      undisbursedFen: '0',
      balanceFen: '1000000',
      spendableFen: '1000000',
    });
    expect(after.entries.slice(-2)).toEqual([
      expect.objectContaining({
        kind: 'grant-cancellation',
        supportYear: 1,
        amountFen: '1000000',
        direction: -1,
        on: '2027-07-05',
        reason: expect.stringContaining('paid on 2027-06-20, on or before the revocation (2027-06-30)'),
      }),
      expect.objectContaining({ kind: 'disbursement', on: '2027-06-20', reference: 'TV-2027-0620' }),
    ]);
    expect(after.paidAfterRevocation).toEqual(before.paidAfterRevocation); // paid before: nothing to recover
    clock.set('2027-02-15T02:00:00Z');
  });

  it('sends a recognition without its district to the dead-letter topic', async () => {
    const otherCenter = uuidv7();
    const incomplete = envelope(ReviewEventTypes.CenterRecognized, otherCenter, `candidacy-${otherCenter}`, {
      ...recognized,
      centerId: otherCenter,
      district: undefined,
    });
    await publish('review', incomplete);
    const reader = kafka.consumer({ groupId: uniqueName('finance-dlt-reader') });
    const dead: { id: string; reason: string }[] = [];
    await reader.connect();
    try {
      await reader.subscribe({ topic: `${prefix}.finance.recognitions.dlt`, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          dead.push({
            id: String(message.headers?.['nqpf-event-id']),
            reason: String(message.headers?.['nqpf-dlt-reason']),
          });
        },
      });
      await eventually(
        async () => expect(dead).toContainEqual({ id: incomplete.id, reason: 'invalid' }),
        30000,
      );
    } finally {
      await reader.disconnect();
    }
    const auditor = await finance.token({ role: 'auditor' });
    await http().get(`/accounts/${otherCenter}`).set('authorization', `Bearer ${auditor}`).expect(404);
  });

  it('publishes a policy version for the bureau and names the invalid field', async () => {
    const bureau = await finance.token({ role: 'city_bureau' });
    const { body: policies } = await http()
      .get('/policies')
      .set('authorization', `Bearer ${bureau}`)
      .expect(200);
    const next = {
      ...policies[0],
      version: 'policy-2099.1',
      effectiveFrom: '2099-01-01',
      annualBaseFen: '120000000',
    };
    await http()
      .post('/policies')
      .set('authorization', `Bearer ${bureau}`)
      .send({ policy: next, reason: 'base raised' })
      .expect(201);
    // The same version with spaces around it is the same publication (read trimmed), answered as such.
    const again = await http()
      .post('/policies')
      .set('authorization', `Bearer ${bureau}`)
      .send({ policy: { ...next, version: ' policy-2099.1 ' }, reason: 'base raised' })
      .expect(201);
    expect(again.body).toMatchObject({ version: 'policy-2099.1', published: false });
    const bad = await http()
      .post('/policies')
      .set('authorization', `Bearer ${bureau}`)
      .send({ policy: { ...next, version: 'policy-2099.2', annualBaseFen: '-5' }, reason: 'typo' })
      .expect(422);
    expect(bad.body).toMatchObject({ rule: 'policy-schema', field: 'policy.annualBaseFen' });
  });
});
