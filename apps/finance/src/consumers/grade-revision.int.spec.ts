import type request from 'supertest';
import {
  AssessmentCompletedV1,
  AssessmentEventTypes,
  AssessmentRevisedV1,
  CenterRevokedV1,
  EventEnvelope,
  GradeV1,
  ReviewEventTypes,
  uuidv7,
} from '@nqpf/contracts';
import { inboxTableName } from '@nqpf/messaging';
import { ManualClock } from '@nqpf/platform';
import { decideConsecutiveUnqualified, defaultPolicy } from '@nqpf/rules';
import { eventually, foreignEvent, recognitionPayload, ServiceUnderTest } from '@nqpf/testing';
import { financeFedByTopics } from './finance-fed-by-topics.spec-helper';
import { heldRevisions } from './held-revisions';
import { InboundAppender, parkedInbound } from './inbound-appender';

const check = (grade: GradeV1) =>
  decideConsecutiveUnqualified({ grades: [{ year: 2026, grade }] }, defaultPolicy);

/** The 2026 assessment (support year 1) as assessment publishes it, on its center's stream. */
const completed = (centerId: string, grade: GradeV1) =>
  foreignEvent<AssessmentCompletedV1>(
    AssessmentEventTypes.AssessmentCompleted,
    centerId,
    {
      centerId,
      year: 2026,
      supportYear: 1,
      grade,
      method: 'direct',
      indicators: null,
      score: null,
      reason: '2026年度考核意见',
      activityCount: 120,
      reportCompliance: { due: 5, filedOnTime: 5, filedLate: 0, missing: 0 },
      assessedOn: '2027-01-20',
      decision: null,
      revocationCheck: check(grade),
    },
    `center-${centerId}`,
  );

/** The bureau's correction of the 2026 grade, as assessment publishes it. */
const revised = (centerId: string, previousGrade: GradeV1, grade: GradeV1) =>
  foreignEvent<AssessmentRevisedV1>(
    AssessmentEventTypes.AssessmentRevised,
    centerId,
    {
      centerId,
      year: 2026,
      supportYear: 1,
      previousGrade,
      grade,
      method: 'direct',
      indicators: null,
      score: null,
      gradeReason: '2026年度考核意见（更正）',
      reason: '录入错误，按考核结论更正',
      assessedOn: '2027-01-20',
      revisedOn: '2027-02-16',
      decision: null,
      revocationCheck: check(grade),
    },
    `center-${centerId}`,
  );

/** A17.3b on 2027-02-16, as assessment publishes it after a correction that revokes. */
const revoked = (centerId: string) => {
  const decision = decideConsecutiveUnqualified(
    {
      grades: [
        { year: 2025, grade: '不合格' },
        { year: 2026, grade: '不合格' },
      ],
    },
    defaultPolicy,
  );
  return foreignEvent<CenterRevokedV1>(
    AssessmentEventTypes.CenterRevoked,
    centerId,
    {
      centerId,
      revokedOn: '2027-02-16',
      ruleId: 'A17.3b',
      reason: 'consecutive-unqualified',
      explanation: decision.reasons[0]!.message,
      decision,
    },
    `center-${centerId}`,
  );
};

/**
 * Finance on real PostgreSQL and Kafka: a grade corrected at assessment decides support year 2's grant again
 * (A12.3), never below what it has disbursed — held until a correction of the account allows it.
 */
describe('finance: a corrected grade decides its grant again', () => {
  const clock = new ManualClock(new Date('2027-02-15T02:00:00Z'));
  const { prefix, finance, http, officer, publish, account } = financeFedByTopics('finance-regrade', clock);

  /** Whether finance's assessment consumer has handled the event (its inbox holds the id). */
  const handled = async (eventId: string) =>
    (
      await finance().db.pool.query(
        `select 1 from messaging.${inboxTableName(`${prefix}.finance.assessments`)} where event_id = $1`,
        [eventId],
      )
    ).rowCount === 1;
  /** Publishes the corrections in order (one stream, one partition) and waits until finance handled each. */
  async function correctGrade(...corrections: EventEnvelope[]): Promise<void> {
    await publish('assessment', ...corrections);
    for (const c of corrections) await eventually(async () => expect(await handled(c.id)).toBe(true));
  }
  const disburse = async (centerId: string, amountYuan: string, reference: string) =>
    http()
      .post(`/accounts/${centerId}/disbursements`)
      .set('authorization', `Bearer ${await officer()}`)
      .send({ supportYear: 2, amountYuan, reference });
  const reverse = async (centerId: string, entryId: string) =>
    http()
      .post(`/accounts/${centerId}/corrections`)
      .set('authorization', `Bearer ${await officer()}`)
      .send({ reversesEntryId: entryId, reason: '付款退回国库' });
  const year2Grants = async (centerId: string) =>
    (await account(centerId)).entries
      .filter((e: { kind: string; supportYear: number }) => e.kind === 'grant' && e.supportYear === 2)
      .map((e: { direction: number; amountFen: string }) => `${e.direction}:${e.amountFen}`);

  /** Recognised 2026-03-10 in `district` and graded `grade` for 2026: support year 2 granted. */
  async function granted(grade: GradeV1, district = '南关区'): Promise<string> {
    const centerId = uuidv7();
    await publish(
      'review',
      foreignEvent(ReviewEventTypes.CenterRecognized, centerId, recognitionPayload(centerId, district)),
    );
    await publish('assessment', completed(centerId, grade));
    await eventually(
      async () => expect((await account(centerId)).years[1]).toMatchObject({ status: 'granted' }),
      90_000,
    );
    return centerId;
  }

  it('decides the grant again on a grade corrected upwards, under the version the first grant used', async () => {
    const centerId = await granted('合格');
    expect((await account(centerId)).years[1]).toMatchObject({ grantedFen: '50000000' });
    await publish('assessment', revised(centerId, '合格', '优秀'));
    await eventually(async () =>
      expect((await account(centerId)).years[1]).toMatchObject({ grantedFen: '100000000' }),
    );
    const { entries } = await account(centerId);
    expect(entries.slice(-2)).toMatchObject([
      {
        kind: 'grant',
        direction: -1,
        supportYear: 2,
        amountFen: '50000000',
        reason: '录入错误，按考核结论更正',
      },
      { kind: 'grant', direction: 1, supportYear: 2, amountFen: '100000000', on: '2027-02-16' },
    ]);
  });

  it('holds a grade corrected below what was paid, refuses to pay more meanwhile, and applies it once the payment is corrected', async () => {
    const centerId = await granted('合格');
    const token = await officer();
    const paid = await http()
      .post(`/accounts/${centerId}/disbursements`)
      .set('authorization', `Bearer ${token}`)
      .send({ supportYear: 2, amountYuan: '300000.00', reference: 'TV-2027-0100' })
      .expect(201);
    const paymentId = (paid.body.recorded[0].payload as { entryId: string }).entryId;

    await publish('assessment', revised(centerId, '合格', '不合格'));
    await eventually(async () => expect(await heldRevisions.of(finance().db.pool, centerId)).toHaveLength(1));
    expect(await parkedInbound.count(finance().db.pool, centerId)).toBe(0);
    // Held: the grant on 合格 stands, nothing is decided again.
    expect((await account(centerId)).years[1]).toMatchObject({
      grantedFen: '50000000',
      disbursedFen: '30000000',
    });
    const refused = await http()
      .post(`/accounts/${centerId}/disbursements`)
      .set('authorization', `Bearer ${token}`)
      .send({ supportYear: 2, amountYuan: '100000.00', reference: 'TV-2027-0101' })
      .expect(409);
    expect(refused.body.message).toBe(
      "cannot disburse when support year 2's grant is held for the 2026 grade corrected to 不合格 on 2027-02-16: " +
        'it grants 0 fen, 30000000 fen less than the 30000000 fen disbursed (A12.3); correct 30000000 fen of ' +
        "support year 2's disbursements first (POST /accounts/:centerId/corrections)",
    );
    // The account shows what is held, and what to correct.
    expect((await account(centerId)).years[1].heldRevision).toEqual({
      assessedYear: 2026,
      previousGrade: '合格',
      grade: '不合格',
      revisedOn: '2027-02-16',
      reason: '录入错误，按考核结论更正',
      grantFen: '0',
      toCorrectFen: '30000000',
    });

    // The payment taken back (paid back to the treasury): the correction applies the held revision.
    await http()
      .post(`/accounts/${centerId}/corrections`)
      .set('authorization', `Bearer ${token}`)
      .send({ reversesEntryId: paymentId, reason: '2026年度考核更正为不合格，收回第二年度资金' })
      .expect(201);
    expect(await heldRevisions.of(finance().db.pool, centerId)).toEqual([]);
    const after = await account(centerId);
    expect(after.years[1]).toMatchObject({ grantedFen: '0', disbursedFen: '0', heldRevision: null });
    expect(after.entries.at(-1)).toMatchObject({ kind: 'grant', supportYear: 2, amountFen: '0' });
  });

  it('drops a held correction the bureau takes back: the grant stands on the grade corrected back, payments go on, nothing stale is applied later', async () => {
    const centerId = await granted('合格');
    const paid = await disburse(centerId, '300000.00', 'TV-2027-0200');
    expect(paid.status).toBe(201);
    const paymentId = (paid.body.recorded[0].payload as { entryId: string }).entryId;
    // 合格 → 不合格 would grant 0 below the 300 000.00 paid (held); then the bureau corrects it back.
    await correctGrade(revised(centerId, '合格', '不合格'), revised(centerId, '不合格', '合格'));
    expect((await disburse(centerId, '100000.00', 'TV-2027-0201')).status).toBe(201);
    // A payment corrected later applies no correction the bureau withdrew.
    expect((await reverse(centerId, paymentId)).status).toBe(201);
    const after = await account(centerId);
    expect(after.years[1]).toMatchObject({
      grantedFen: '50000000',
      disbursedFen: '10000000',
      basis: { grade: '合格' },
    });
    expect(await year2Grants(centerId)).toEqual(['1:50000000']);
  });

  it('drops a held correction when support stops: payments made by the revocation day are recorded, nothing stays parked', async () => {
    const centerId = await granted('合格');
    expect((await disburse(centerId, '300000.00', 'TV-2027-0400')).status).toBe(201);
    await correctGrade(revised(centerId, '合格', '不合格'), revoked(centerId));
    expect((await account(centerId)).status).toBe('stopped');
    // Paid on 2027-02-15, before the revocation day: recorded from what the stop cancelled (A17.3).
    const paid = await http()
      .post(`/accounts/${centerId}/disbursements`)
      .set('authorization', `Bearer ${await officer()}`)
      .send({
        supportYear: 2,
        amountYuan: '100000.00',
        reference: 'TV-2027-0401',
        disbursedOn: '2027-02-15',
      });
    expect(paid.status).toBe(201);
    expect(await heldRevisions.of(finance().db.pool, centerId)).toEqual([]);
    expect(await parkedInbound.count(finance().db.pool, centerId)).toBe(0);
  });

  it('decides the grant on the latest correction when a held one is corrected again, on the grade the grant stands on', async () => {
    const centerId = await granted('合格');
    expect((await disburse(centerId, '300000.00', 'TV-2027-0300')).status).toBe(201);
    // 合格 → 不合格 held; 不合格 → 良好 grants 750 000.00, above what was paid: decided at once.
    await correctGrade(revised(centerId, '合格', '不合格'), revised(centerId, '不合格', '良好'));
    const after = await account(centerId);
    expect(after.years[1]).toMatchObject({ grantedFen: '75000000', basis: { grade: '良好' } });
    expect(await year2Grants(centerId)).toEqual(['1:50000000', '-1:50000000', '1:75000000']);
    expect((await disburse(centerId, '100000.00', 'TV-2027-0301')).status).toBe(201);
  });

  describe('GET /accounts/held-revisions and the held gauges', () => {
    type Claims = Parameters<ServiceUnderTest['token']>[0];
    const as = async (claims: Claims) => ({ authorization: `Bearer ${await finance().token(claims)}` });
    const list = async (query = '', claims: Claims = { role: 'finance_officer' }) =>
      http()
        .get(`/accounts/held-revisions${query}`)
        .set(await as(claims));
    const listed = async (query = '', claims: Claims = { role: 'finance_officer' }) => {
      const res = await list(query, claims);
      expect(res.status).toBe(200);
      return res.body;
    };
    type Item = { centerId: string; heldSince: string };
    const ofCenters = (items: Item[], ...centerIds: string[]) =>
      items.filter((i) => centerIds.includes(i.centerId));
    const rows = async (district?: string) =>
      Number(
        (
          await finance().db.pool.query<{ n: string }>(
            `select count(*) as n from finance_inbound.held_grade_revisions where $1::text is null or district = $1`,
            [district ?? null],
          )
        ).rows[0]!.n,
      );
    const heldAt = async (centerId: string) =>
      (
        await finance().db.pool.query<{ held_at: Date }>(
          'select held_at from finance_inbound.held_grade_revisions where center_id = $1',
          [centerId],
        )
      ).rows[0]!.held_at.toISOString();
    const gauge = async (name: string) => {
      const text = (await http().get('/metrics').expect(200)).text;
      const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
      return value === undefined ? undefined : Number(value);
    };
    const paymentOf = (res: request.Response) =>
      (res.body.recorded.at(-1).payload as { entryId: string }).entryId;

    it('lists every held correction oldest first, with the figures the account shows, and drops one released', async () => {
      const nanguan = await granted('合格');
      const gaoxin = await granted('合格', '高新区');
      const paid = await disburse(nanguan, '300000.00', 'TV-2027-0500');
      expect(paid.status).toBe(201);
      expect((await disburse(gaoxin, '200000.00', 'TV-2027-0501')).status).toBe(201);
      const before = await gauge('finance_held_grade_revisions');
      await correctGrade(revised(nanguan, '合格', '不合格'));
      await correctGrade(revised(gaoxin, '合格', '不合格'));

      const page = await listed();
      expect(page).toMatchObject({ total: await rows(), limit: 50, offset: 0 });
      expect(ofCenters(page.items, nanguan, gaoxin)).toEqual([
        {
          centerId: nanguan,
          district: '南关区',
          supportYear: 2,
          assessedYear: 2026,
          previousGrade: '合格',
          grade: '不合格',
          revisedOn: '2027-02-16',
          reason: '录入错误，按考核结论更正',
          grantFen: '0',
          disbursedFen: '30000000',
          toCorrectFen: '30000000',
          heldSince: await heldAt(nanguan),
        },
        expect.objectContaining({
          centerId: gaoxin,
          district: '高新区',
          disbursedFen: '20000000',
          toCorrectFen: '20000000',
          heldSince: await heldAt(gaoxin),
        }),
      ]);
      // The figures are the account's own.
      const year2 = (await account(nanguan)).years[1];
      const [item] = ofCenters(page.items, nanguan);
      expect(item).toMatchObject({ disbursedFen: year2.disbursedFen, ...year2.heldRevision });
      // Oldest first, paged with a total.
      const at = page.items.findIndex((i: { centerId: string }) => i.centerId === nanguan);
      expect(await listed(`?limit=1&offset=${at}`)).toEqual({
        total: page.total,
        limit: 1,
        offset: at,
        items: [item],
      });
      // Every account's readers read all; a district office its own district's, counted in its total.
      for (const role of ['city_bureau', 'auditor'] as const)
        expect(await listed('', { role })).toEqual(page);
      const district = await listed('', { role: 'district_office', district: '南关区' });
      expect(district.total).toBe(await rows('南关区'));
      expect(ofCenters(district.items, nanguan, gaoxin)).toEqual([item]);
      expect(district.items.every((i: { district: string }) => i.district === '南关区')).toBe(true);
      // Those who may not read every account, or any: 403.
      for (const claims of [{ role: 'operator', centerId: nanguan }, { role: 'expert' }] as const)
        expect((await list('', claims)).status).toBe(403);
      for (const [query, field] of [
        ['?limit=0', 'limit'],
        ['?limit=201', 'limit'],
        ['?offset=-1', 'offset'],
        ['?district=南关区', 'district'],
      ])
        expect((await list(encodeURI(query))).body).toMatchObject({ error: 'invalid_input', field });
      // Counted at scrape time, with the oldest one's age.
      expect(await gauge('finance_held_grade_revisions')).toBe(await rows());
      expect(await gauge('finance_held_grade_revisions')).toBe((before ?? 0) + 2);
      const age = (Date.now() - Date.parse(item.heldSince)) / 1000;
      expect(await gauge('finance_oldest_held_grade_revision_age_seconds')).toBeGreaterThanOrEqual(age - 1);

      // Released: the payment corrected (the hold applies), or the bureau's later correction (dropped).
      expect((await reverse(nanguan, paymentOf(paid))).status).toBe(201);
      await correctGrade(revised(gaoxin, '不合格', '合格'));
      expect(ofCenters((await listed()).items, nanguan, gaoxin)).toEqual([]);
      expect(await gauge('finance_held_grade_revisions')).toBe(before ?? 0);
    });

    it('keeps heldSince while a partial correction leaves the correction held', async () => {
      const centerId = await granted('合格');
      expect((await disburse(centerId, '200000.00', 'TV-2027-0600')).status).toBe(201);
      const second = await disburse(centerId, '100000.00', 'TV-2027-0601');
      expect(second.status).toBe(201);
      await correctGrade(revised(centerId, '合格', '不合格'));
      const [held] = ofCenters((await listed()).items, centerId);
      expect(held).toMatchObject({ disbursedFen: '30000000', toCorrectFen: '30000000' });
      // 100 000.00 paid back: 200 000.00 still above the grant of 0, so it stays held — since it first was.
      expect((await reverse(centerId, paymentOf(second))).status).toBe(201);
      expect(ofCenters((await listed()).items, centerId)).toEqual([
        { ...held, disbursedFen: '20000000', toCorrectFen: '20000000' },
      ]);
    });

    it('gives a correction held before finance kept its district the district of its account, at start', async () => {
      const centerId = await granted('合格', '高新区');
      expect((await disburse(centerId, '300000.00', 'TV-2027-0700')).status).toBe(201);
      await correctGrade(revised(centerId, '合格', '不合格'));
      await finance().db.pool.query(
        'update finance_inbound.held_grade_revisions set district = null where center_id = $1',
        [centerId],
      );
      // What the service's start does (InboundAppender.onModuleInit), before its consumers start.
      await finance().app.get(InboundAppender).fillHeldDistricts();
      expect(ofCenters((await listed()).items, centerId)).toMatchObject([{ district: '高新区' }]);
    });

    it("lists a correction a previous release's replica held without its district to its district office, without a restart", async () => {
      const centerId = await granted('合格');
      expect((await disburse(centerId, '300000.00', 'TV-2027-0800')).status).toBe(201);
      await correctGrade(revised(centerId, '合格', '不合格'));
      // Held again by the previous release's statement, as an old replica does during a rolling update.
      const table = 'finance_inbound.held_grade_revisions';
      const { rows: held } = await finance().db.pool.query<{ grant_fen: string; event: unknown }>(
        `delete from ${table} where center_id = $1 returning grant_fen, event`,
        [centerId],
      );
      await finance().db.pool.query(
        `insert into ${table} (center_id, support_year, grant_fen, event) values ($1, $2, $3, $4)
         on conflict (center_id, support_year)
         do update set grant_fen = excluded.grant_fen, event = excluded.event, held_at = now()`,
        [centerId, 2, held[0]!.grant_fen, JSON.stringify(held[0]!.event)],
      );
      const office = await listed('', { role: 'district_office', district: '南关区' });
      expect(ofCenters(office.items, centerId)).toMatchObject([{ centerId, district: '南关区' }]);
      expect(office.total).toBe(await rows('南关区'));
    });

    it('describes the list in its OpenAPI document', async () => {
      const doc = await http().get('/docs-json').expect(200);
      const route = doc.body.paths['/accounts/held-revisions'].get;
      expect(route.responses['200'].description).toContain('heldSince');
      expect(route.responses['403'].description).toBeDefined();
      expect(route.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['limit', 'offset']);
    });
  });
});
