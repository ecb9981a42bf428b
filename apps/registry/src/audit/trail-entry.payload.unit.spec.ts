import {
  assessmentExamples,
  financeExamples,
  intakeExamples,
  reportingExamples,
  reviewExamples,
  type ServiceExamples,
} from '../../../../libs/contracts/src/schemas/testing/decided-examples';
import { exampleEnvelope } from '../../../../libs/contracts/src/schemas/testing/example-envelope';
import { ReviewEventTypes as R, type EventEnvelope } from '@nqpf/contracts';
import { asShownToTheCenter, toStreamTrailEntry, toTrailEntry, withoutDecisions } from './trail-entry';

/** Every event the services' deciders produce in the contract examples, as the store would publish it. */
function envelopes(examples: ServiceExamples[]): EventEnvelope[] {
  return examples.flatMap(({ centerId, events }) =>
    events.map((event, i) => exampleEnvelope(event, centerId, i + 1)),
  );
}
const all = envelopes([
  ...intakeExamples(),
  ...reviewExamples(),
  ...reportingExamples(),
  ...assessmentExamples(),
  ...financeExamples(),
]);
const lineOf = (event: EventEnvelope) => toTrailEntry(event) ?? toStreamTrailEntry(event)!;
const first = (type: string) => {
  const event = all.find((e) => e.type === type);
  if (!event) throw new Error(`no example of ${type}`);
  return { event, line: lineOf(event) };
};

/** Puts each decision back at its field: the payload whole, as the event recorded it. */
function reassembled(line: ReturnType<typeof lineOf>): unknown {
  const payload = structuredClone(line.payload) as Record<string, unknown>;
  for (const { field, recorded } of line.decisions) {
    const path = field.split('.');
    const parent = path.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as never, payload);
    parent[path.at(-1)!] = recorded;
  }
  return payload;
}

describe('a trail line carries what its event records', () => {
  it.each(all.map((e) => [e.type, e] as const))(
    '%s: its payload and its decisions are the event payload, each decision kept once',
    (_type, event) => {
      const line = lineOf(event);
      expect(reassembled(line)).toEqual(event.payload);
      const kept = JSON.stringify(line.payload);
      for (const { recorded } of line.decisions) expect(kept).not.toContain(JSON.stringify(recorded));
    },
  );

  it('shows the decided figures beside the decision: a grant, a year-1 approval, a disbursement', () => {
    const grant = first('finance.grant-decided');
    expect(grant.line.payload).toMatchObject({
      amountFen: (grant.event.payload as { amountFen: string }).amountFen,
      decidedOn: (grant.event.payload as { decidedOn: string }).decidedOn,
    });
    expect(grant.line.payload).not.toHaveProperty('decision');
    expect(grant.line.decisions.map((d) => d.field)).toEqual(['decision']);
    const approved = first('finance.year1-costs-approved');
    expect(approved.line.payload).toHaveProperty(
      'approvedFen',
      (approved.event.payload as { approvedFen: unknown }).approvedFen,
    );
    const paid = first('finance.disbursement-recorded');
    expect(paid.line.payload).toHaveProperty(
      'amountFen',
      (paid.event.payload as { amountFen: unknown }).amountFen,
    );
  });

  it('shows a grade set by hand: the grade and its null decision, beside the reason', () => {
    const direct = all.find(
      (e) =>
        e.type === 'assessment.assessment-completed' &&
        (e.payload as { decision: unknown }).decision === null,
    )!;
    const line = lineOf(direct);
    expect(line.decisions.filter((d) => d.field === 'decision')).toEqual([]);
    expect(line.payload).toMatchObject({
      grade: (direct.payload as { grade: string }).grade,
      decision: null,
    });
    expect(line.reason).not.toBeNull();
  });

  it('keeps a list in place when a decision is one of its elements', () => {
    const decision = {
      rule: 'r',
      rulesetVersion: 'v',
      policyVersion: 'p',
      inputs: {},
      outcome: {},
      reasons: [],
    };
    const payload = { a: 1, list: [decision, { decision }], other: { b: 2 } };
    const before = structuredClone(payload);
    const line = withoutDecisions(payload, ['list.0', 'list.1.decision', 'missing.path']);
    expect(line).toEqual({ a: 1, list: [null, {}], other: { b: 2 } });
    // The event's payload itself is left as it was: the line's decisions are read from it.
    expect(payload).toEqual(before);
  });
});

describe("the payload as the center's operator and district office see it", () => {
  const review = envelopes(reviewExamples());
  const centerLines = review.flatMap((e) => toTrailEntry(e) ?? []);
  const shown = centerLines.map(asShownToTheCenter);

  // What the review examples' experts, objector and investigator wrote, and who the experts are.
  const secrets = [
    '"e1"',
    '"e2"',
    '张三',
    '13800000000',
    '活动数量不实',
    '材料翔实',
    '场地与申报一致',
    '漏看经纪人职称材料',
    '考察记录登记不全',
    '调取活动台账',
  ];

  it('holds none of the review examples’ secrets, in any line (payload, actor, reason, decisions)', () => {
    const leaks = (lines: unknown[]) =>
      lines.flatMap((line) => secrets.filter((secret) => JSON.stringify(line).includes(secret)));
    // They are there as recorded (so the test would see them leak) …
    expect(new Set(leaks(centerLines))).toEqual(new Set(secrets));
    // … and nowhere in what the center sees.
    expect(leaks(shown)).toEqual([]);
  });

  it.each([
    [R.ExpertReviewRecorded, ['applicationId', 'recordedAt'], ['expertId', 'score', 'opinion']],
    [
      R.SiteInspectionRecorded,
      ['applicationId', 'inspectedOn', 'recordedAt'],
      ['expertId', 'satisfactory', 'finding'],
    ],
    [
      R.ExpertReviewRevised,
      ['applicationId', 'revisedAt'],
      ['expertId', 'score', 'opinion', 'reason', 'previousScore'],
    ],
    [
      R.SiteInspectionRevised,
      ['applicationId', 'inspectedOn', 'revisedAt'],
      ['expertId', 'finding', 'reason'],
    ],
    [R.ObjectionInvestigationStarted, ['applicationId', 'objectionId', 'startedAt'], ['note']],
    [R.ObjectionRaised, ['applicationId', 'objectionId', 'raisedAt'], ['objector', 'content']],
  ])('%s shows %j, and %j as (withheld)', (type, kept, withheld) => {
    const at = shown.findIndex((l) => l.type === type);
    expect(at).toBeGreaterThanOrEqual(0);
    const payload = shown[at]!.payload!;
    for (const k of kept) expect(payload[k]).toEqual(centerLines[at]!.payload![k]);
    for (const k of withheld) expect([k, payload[k]]).toEqual([k, '(withheld)']);
  });

  it("withholds an expert's id where the bureau assigns one, the rest as recorded", () => {
    const at = shown.findIndex((l) => l.type === R.ExpertAssigned);
    expect(shown[at]!.payload).toEqual({ ...centerLines[at]!.payload, expertId: '(withheld)' });
  });

  it("withholds the bureau's reason for withdrawing an expert (a conflict they declared: A9.1), not that it did", () => {
    const at = shown.findIndex((l) => l.type === R.ExpertUnassigned);
    expect(centerLines[at]!.reason).toBeTruthy();
    expect(shown[at]).toMatchObject({
      actor: centerLines[at]!.actor,
      reason: '(withheld)',
      payload: {
        applicationId: centerLines[at]!.payload!.applicationId,
        unassignedAt: centerLines[at]!.payload!.unassignedAt,
        expertId: '(withheld)',
        reason: '(withheld)',
      },
    });
  });

  it("withholds an objection's sender by its type, even where its decision's inputs name no one", () => {
    const line = centerLines.find((l) => l.type === R.ObjectionRaised)!;
    const anonymous = {
      ...line,
      decisions: line.decisions.map((d) => ({ ...d, recorded: { ...d.recorded, inputs: {} } })),
    };
    expect(asShownToTheCenter(anonymous).actor).toEqual({
      id: '(withheld)',
      role: '(withheld)',
      district: null,
    });
  });

  it('leaves the payload of other events as recorded: the list, the ruling, the signing party and day', () => {
    for (const type of [
      R.CandidacyListed,
      R.PublicityStarted,
      R.ObjectionDismissed,
      R.AgreementSigned,
      R.CenterRecognized,
    ]) {
      const at = shown.findIndex((l) => l.type === type);
      expect([type, shown[at]!.payload]).toEqual([type, centerLines[at]!.payload]);
    }
    const listed = shown.find((l) => l.type === R.CandidacyListed)!;
    expect(listed.payload).toMatchObject({ listId: 'list-2026' });
    const signed = shown.find((l) => l.type === R.AgreementSigned)!;
    expect(signed.payload).toMatchObject({ party: 'bureau', signedOn: expect.any(String) });
  });

  it('leaves a line kept before payloads (null) null', () => {
    const line = centerLines.find((l) => l.type === R.ObjectionRaised)!;
    expect(asShownToTheCenter({ ...line, payload: null }).payload).toBeNull();
  });

  it("withholds an event of review it does not know yet as an expert's work: its author, reason and payload", () => {
    const line = centerLines.find((l) => l.type === R.ExpertReviewRecorded)!;
    const unknown = { ...line, type: 'review.expert-review-withdrawn', reason: '材料翔实' };
    expect(asShownToTheCenter(unknown)).toMatchObject({
      actor: { id: '(withheld)' },
      reason: '(withheld)',
      payload: { applicationId: line.payload!.applicationId, score: '(withheld)', opinion: '(withheld)' },
    });
  });
});
