import {
  ApplicationAcceptedV1,
  ApplicationAmendedV1,
  ApplicationDraftedV1,
  ApplicationRejectedV1,
  ApplicationSubmittedV1,
  AssessmentCompletedV1,
  AssessmentEventTypes,
  AssessmentRevisedV1,
  CandidacyOpenedV1,
  AgreementSignedV1,
  CenterRecognizedV1,
  CenterRevokedV1,
  CenterTrackedV1,
  DecisionRecordV1,
  EligibilityDecidedV1,
  EventEnvelope,
  FinanceEventTypes,
  MajorChangeReportedV1,
  IntakeEventTypes,
  ObjectionDismissedV1,
  ObjectionRaisedV1,
  ObjectionUpheldV1,
  ObligationsEndedV1,
  ObligationsOpenedV1,
  OperatingDeadlinePassedV1,
  OperatingDeadlineOutcomeV1,
  OperationStartDeclaredV1,
  OperationStartedV1,
  OperationStartRecordedV1,
  PublicityEndedV1,
  PublicityStartedV1,
  ReportDueScheduledV1,
  ReportFiledV1,
  ReportingEventTypes,
  ReportOverdueV1,
  ReviewEventTypes,
  SubsidyAccountOpenedV1,
  Year1CostsDeclaredV1,
} from '@nqpf/contracts';
import { isReportOwedAtEnd, shanghaiDateOf } from '@nqpf/rules';
import { withDerived } from './standing.derive';
import { ReportEntry, ReviewProgress, StandingPhase, StandingRow } from './standing.row';

type Reducer = (row: StandingRow, payload: never) => StandingRow;

const I = IntakeEventTypes;
const R = ReviewEventTypes;
const P = ReportingEventTypes;
const A = AssessmentEventTypes;

const intakePhase =
  (phase: StandingPhase): Reducer =>
  (row) => ({ ...row, intakePhase: phase });

const reviewPhase =
  (phase: StandingPhase): Reducer =>
  (row) => ({ ...row, reviewPhase: phase });

/**
 * A9.1 progress; the phase moves between eligible and reviewed with it: reviewed once every expert assigned
 * now has reviewed and one of them inspected the site — review's own test (reviewStatus, candidacy.state.ts;
 * as in its list, without the conflicts declared on experts' streams, which the listing still checks).
 * A row written before progress was kept has none and cannot know it: it keeps the earlier reading
 * (reviewed at the first review or inspection) until a rebuild.
 */
const reviewProgress =
  (change: (progress: ReviewProgress, expertId: string) => ReviewProgress, recorded: boolean): Reducer =>
  (row, p: { expertId: string }) => {
    const underReview = row.reviewPhase === 'eligible' || row.reviewPhase === 'reviewed';
    if (!row.reviewProgress) return recorded && underReview ? { ...row, reviewPhase: 'reviewed' } : row;
    const progress = change(row.reviewProgress, p.expertId);
    const { experts, reviewedBy, inspectedBy } = progress;
    const reviewed =
      experts.length > 0 &&
      experts.every((e) => reviewedBy.includes(e)) &&
      inspectedBy.some((e) => experts.includes(e));
    return {
      ...row,
      reviewProgress: progress,
      reviewPhase: underReview ? (reviewed ? 'reviewed' : 'eligible') : row.reviewPhase,
    };
  };
const adding = <T>(list: T[], item: T) => (list.includes(item) ? list : [...list, item]);

/** Review's phase while objections are open or after they are settled. */
function publicityPhase(pending: string[], ended: boolean): StandingPhase {
  if (pending.length > 0) return 'objection_pending';
  return ended ? 'publicity_passed' : 'in_publicity';
}

function reportKey(kind: string, period: string): string {
  return `${kind}:${period}`;
}

function setReport(row: StandingRow, entry: ReportEntry): StandingRow {
  return { ...row, reports: { ...row.reports, [reportKey(entry.kind, entry.period)]: entry } };
}

/**
 * Reports not filed when the obligations ended on `endedOn`: those of periods ended after it are no longer
 * owed and leave the row (one its timer scheduled or marked overdue before the revocation was read too).
 * One ended by that day stays, due or overdue until filed (reporting accepts it, on time or late: RULES
 * A14–A15) — libs/rules `isReportOwedAtEnd`, the rule reporting decides with, so both list the same reports.
 */
function withoutDue(reports: StandingRow['reports'], endedOn: string): StandingRow['reports'] {
  return Object.fromEntries(
    Object.entries(reports).filter(
      ([, r]) => r.state === 'filed' || r.state === 'filed_late' || isReportOwedAtEnd(r.period, endedOn),
    ),
  );
}

/** Whether a report event names a period the row still owes: any before the end, one ended by it after. */
const stillOwed = (row: StandingRow, period: string) =>
  !row.obligationsEndedOn || isReportOwedAtEnd(period, row.obligationsEndedOn);

/** The A17.3a deadline an operating-deadline decision names (recorded with the policy in force), if any. */
function deadlineOf(decision: DecisionRecordV1 | null | undefined): string | null {
  const deadline = (decision?.outcome as Partial<OperatingDeadlineOutcomeV1> | undefined)?.deadline;
  return decision?.rule === 'operating-deadline' && typeof deadline === 'string' ? deadline : null;
}

/** The day declarations close that a declaration's operation-start-declaration decision names, if any. */
function declarationsCloseOf(decision: OperationStartDeclaredV1['decision']): string | undefined {
  const close = (decision?.outcome as { declarationsCloseOn?: unknown } | undefined)?.declarationsCloseOn;
  return decision?.rule === 'operation-start-declaration' && typeof close === 'string' ? close : undefined;
}

/**
 * A17.3a: the last day a start made by the deadline may be declared, from the reporting event that carries
 * it (the center's own stream, so in order); an event recorded before reporting kept it leaves the row.
 */
function declarationsClose(row: StandingRow, closeOn: string | undefined): StandingRow {
  return closeOn === undefined ? row : { ...row, startDeclarationsCloseOn: closeOn };
}

/**
 * A16: a fact of the operating entity a major change reports (trimmed), unless it names none or a change
 * effective later named it already (`keptOn`: a change effective earlier, reported later, does not replace it).
 */
function reportedText(value: unknown, effectiveOn: string, keptOn: string | undefined): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  return keptOn !== undefined && effectiveOn < keptOn ? undefined : value.trim();
}

/** A9.4: a ruled objection's day received leaves the row (only pending ones' are kept); older rows have none. */
function ruled(row: StandingRow, objectionId: string): StandingRow {
  if (!row.objectionsReceivedOn) return row;
  const { [objectionId]: _ruled, ...pending } = row.objectionsReceivedOn;
  return { ...row, objectionsReceivedOn: pending };
}

const reducers: Record<string, Reducer> = {
  // ---- intake: application phase, call, district, operator, submission date
  [I.ApplicationDrafted]: (row, p: ApplicationDraftedV1) => ({
    ...row,
    intakePhase: 'draft',
    callId: p.callId,
    operatorAccountId: p.operatorAccountId,
    operatorName: p.facts?.operator?.name ?? row.operatorName,
    operatorCreditCode: p.facts?.operator?.creditCode ?? row.operatorCreditCode,
    district: p.district,
  }),
  [I.ApplicationAmended]: (row, p: ApplicationAmendedV1) => ({
    ...row,
    district: p.district ?? row.district,
    operatorName: p.facts?.operator?.name ?? row.operatorName,
    operatorCreditCode: p.facts?.operator?.creditCode ?? row.operatorCreditCode,
  }),
  [I.ApplicationSubmitted]: (row, p: ApplicationSubmittedV1) => ({
    ...row,
    intakePhase: 'submitted',
    callId: p.callId,
    district: p.district,
    operatorName: p.facts?.operator?.name ?? row.operatorName,
    operatorCreditCode: p.facts?.operator?.creditCode ?? row.operatorCreditCode,
    submittedOn: row.submittedOn ?? shanghaiDateOf(p.submittedAt, 'submittedAt'),
  }),
  [I.ApplicationEndorsed]: intakePhase('endorsed'),
  [I.ApplicationReturnedByDistrict]: intakePhase('returned_by_district'),
  [I.ApplicationReturnedForSupplement]: intakePhase('returned_for_supplement'),
  [I.ApplicationAccepted]: (row, p: ApplicationAcceptedV1) => ({
    ...row,
    intakePhase: 'accepted',
    operatorAccountId: p.operatorAccountId,
    district: p.district,
  }),

  // ---- review: candidacy phase, eligibility, objections, recognition
  [R.CandidacyOpened]: (row, p: CandidacyOpenedV1) => ({
    ...row,
    reviewPhase: 'accepted',
    // The same facts intake recorded; filled here only when intake's events have not arrived yet.
    district: row.district ?? p.district,
    operatorAccountId: row.operatorAccountId ?? p.operatorAccountId,
    callId: row.callId ?? p.callId,
  }),
  [R.EligibilityDecided]: (row, p: EligibilityDecidedV1) => ({
    ...row,
    reviewPhase: p.eligible ? 'eligible' : 'ineligible',
    eligible: p.eligible,
    eligibilityReasons: p.decision?.reasons ?? [],
    eligibilityPolicyVersion: p.decision?.policyVersion ?? null,
  }),
  [R.ApplicationRejected]: (row, p: ApplicationRejectedV1) => ({
    ...row,
    reviewPhase: p.stage === 'eligibility' ? 'ineligible' : 'rejected',
    rejection: { stage: p.stage, ruleIds: p.ruleIds, reasons: p.reasons },
  }),
  [R.ExpertAssigned]: reviewProgress((p, id) => ({ ...p, experts: adding(p.experts, id) }), false),
  // As review counts them: an unassigned expert's review and inspection no longer count, also after
  // they are assigned again (they review anew).
  [R.ExpertUnassigned]: reviewProgress(
    (p, id) => ({
      experts: p.experts.filter((e) => e !== id),
      reviewedBy: p.reviewedBy.filter((e) => e !== id),
      inspectedBy: p.inspectedBy.filter((e) => e !== id),
    }),
    false,
  ),
  [R.ExpertReviewRecorded]: reviewProgress((p, id) => ({ ...p, reviewedBy: adding(p.reviewedBy, id) }), true),
  [R.SiteInspectionRecorded]: reviewProgress(
    (p, id) => ({ ...p, inspectedBy: adding(p.inspectedBy, id) }),
    true,
  ),
  [R.CandidacyListed]: reviewPhase('listed'),
  [R.CandidacyNotListed]: reviewPhase('not_listed'),
  [R.PublicityStarted]: (row, p: PublicityStartedV1) => ({
    ...row,
    reviewPhase: 'in_publicity',
    publicityLastDay: p.lastDay,
  }),
  [R.ObjectionRaised]: (row, p: ObjectionRaisedV1) => {
    const pending = [...new Set([...row.pendingObjections, p.objectionId])];
    return {
      ...row,
      pendingObjections: pending,
      objectionsReceivedOn: {
        ...row.objectionsReceivedOn,
        [p.objectionId]: shanghaiDateOf(p.raisedAt, 'raisedAt'),
      },
      reviewPhase: publicityPhase(pending, row.publicityEnded),
    };
  },
  [R.ObjectionUpheld]: (row, p: ObjectionUpheldV1) => ({
    ...ruled(row, p.objectionId),
    pendingObjections: row.pendingObjections.filter((id) => id !== p.objectionId),
  }),
  [R.ObjectionDismissed]: (row, p: ObjectionDismissedV1) => {
    const pending = row.pendingObjections.filter((id) => id !== p.objectionId);
    return {
      ...ruled(row, p.objectionId),
      pendingObjections: pending,
      reviewPhase: publicityPhase(pending, row.publicityEnded),
    };
  },
  [R.PublicityEnded]: (row, p: PublicityEndedV1) => ({
    ...row,
    publicityEnded: true,
    pendingObjections: p.pendingObjectionIds,
    reviewPhase: row.reviewPhase === 'rejected' ? 'rejected' : publicityPhase(p.pendingObjectionIds, true),
  }),
  [R.AgreementSigned]: (row, p: AgreementSignedV1) => ({
    ...row,
    signedBy: adding(row.signedBy ?? [], p.party),
  }),
  [R.CenterRecognized]: (row, p: CenterRecognizedV1) => ({
    ...row,
    reviewPhase: 'recognised',
    recognizedOn: p.recognitionDate,
    district: row.district ?? p.district,
    operatorAccountId: row.operatorAccountId ?? p.operator.accountId,
    operatorName: row.operatorName ?? p.operator.name,
    operatorCreditCode: row.operatorCreditCode ?? p.operator.creditCode,
  }),

  // ---- reporting: operation start and its declarations' window (A17.3a), reports due and overdue, a new
  // operating entity (A16)
  [P.ObligationsOpened]: (row, p: ObligationsOpenedV1) => declarationsClose(row, p.startDeclarationsCloseOn),
  [P.OperationStartDeclared]: (row, p: OperationStartDeclaredV1) => ({
    ...declarationsClose(row, declarationsCloseOf(p.decision)),
    declaredStart: { startedOn: p.startedOn, declaredOn: p.declaredOn },
  }),
  [P.OperatingDeadlinePassed]: (row, p: OperatingDeadlinePassedV1) => ({
    ...declarationsClose(row, p.startDeclarationsCloseOn),
    operatingDeadlinePassedOn: p.passedOn,
  }),
  [P.OperationStartRejected]: (row) => ({ ...row, declaredStart: null }),
  [P.OperationStarted]: (row, p: OperationStartedV1) => ({
    ...row,
    operationStartedOn: p.startedOn,
    declaredStart: null,
  }),
  // The name and the credit code each of the latest effective change naming it (a rename keeps the code).
  [P.MajorChangeReported]: (row, p: MajorChangeReportedV1) => {
    const operator = p.newFacts.operator as { name?: unknown; creditCode?: unknown } | undefined;
    const name = reportedText(operator?.name, p.effectiveOn, row.reportedOperatorOn);
    const code = reportedText(operator?.creditCode, p.effectiveOn, row.reportedOperatorCreditCodeOn);
    if (name === undefined && code === undefined) return row;
    return {
      ...row,
      ...(name !== undefined && { reportedOperatorName: name, reportedOperatorOn: p.effectiveOn }),
      ...(code !== undefined && {
        reportedOperatorCreditCode: code,
        reportedOperatorCreditCodeOn: p.effectiveOn,
      }),
    };
  },
  [P.ReportDueScheduled]: (row, p: ReportDueScheduledV1) => {
    if (!stillOwed(row, p.period)) return row;
    const known = row.reports[reportKey(p.kind, p.period)];
    return setReport(row, { kind: p.kind, period: p.period, dueOn: p.dueOn, state: known?.state ?? 'due' });
  },
  [P.ReportOverdue]: (row, p: ReportOverdueV1) => {
    if (!stillOwed(row, p.period)) return row;
    const known = row.reports[reportKey(p.kind, p.period)];
    if (known?.state === 'filed' || known?.state === 'filed_late') return row;
    return setReport(row, { kind: p.kind, period: p.period, dueOn: p.dueOn, state: 'overdue' });
  },
  [P.ReportFiled]: (row, p: ReportFiledV1) =>
    setReport(row, {
      kind: p.kind,
      period: p.period,
      dueOn: p.dueOn,
      state: p.late ? 'filed_late' : 'filed',
    }),
  [P.ObligationsEnded]: (row, p: ObligationsEndedV1) => ({
    ...row,
    obligationsEndedOn: p.endedOn,
    reports: withoutDue(row.reports, p.endedOn),
  }),

  // ---- assessment: operating deadline, grades, revocation
  [A.CenterTracked]: (row, p: CenterTrackedV1) => ({ ...row, operatingDeadline: p.operatingDeadline }),
  // The deadline is assessment's: tracked on recognition, and named again by each operating-deadline decision.
  [A.OperationStartRecorded]: (row, p: OperationStartRecordedV1) => ({
    ...row,
    operationStartedOn: row.operationStartedOn ?? p.startedOn,
    operatingDeadline: row.operatingDeadline ?? deadlineOf(p.decision),
  }),
  [A.AssessmentCompleted]: (row, p: AssessmentCompletedV1) => ({
    ...row,
    grades: { ...row.grades, [String(p.year)]: p.grade },
  }),
  // The bureau corrected a grade: it replaces the one recorded (latest grade and run are derived from them).
  [A.AssessmentRevised]: (row, p: AssessmentRevisedV1) => ({
    ...row,
    grades: { ...row.grades, [String(p.year)]: p.grade },
  }),
  [A.CenterRevoked]: (row, p: CenterRevokedV1) => ({
    ...row,
    revokedOn: p.revokedOn,
    revocationRule: p.ruleId,
    revocationReason: p.reason,
    revocationExplanation: p.explanation ?? null,
    operatingDeadline: row.operatingDeadline ?? deadlineOf(p.decision),
  }),

  // ---- finance: the support years and their calendar years (policy-versioned)
  [FinanceEventTypes.SubsidyAccountOpened]: (row, p: SubsidyAccountOpenedV1) => ({
    ...row,
    supportYears: [...p.supportYears].sort((a, b) => a.supportYear - b.supportYear),
  }),
  [FinanceEventTypes.Year1CostsDeclared]: (row, p: Year1CostsDeclaredV1) => ({
    ...row,
    year1DeclarationPending: p.declarationId,
  }),
  [FinanceEventTypes.Year1CostsApproved]: (row) => ({ ...row, year1DeclarationPending: null }),
};

/** Whether the standing changes on this event type at all (others are acknowledged and skipped). */
export function affectsStanding(type: string): boolean {
  return type in reducers;
}

/**
 * Pure: the row's own fields after one event, its derived ones (phase, status, counts…) left as they were
 * for `withDerived`. Unknown event types leave the row as it is.
 */
export function evolveStanding(row: StandingRow, event: EventEnvelope): StandingRow {
  const reducer = reducers[event.type];
  return reducer ? reducer(row, event.payload as never) : row;
}

/** Pure: the row after one event, derived fields included. */
export function reduceStanding(row: StandingRow, event: EventEnvelope): StandingRow {
  return reducers[event.type] ? withDerived(evolveStanding(row, event)) : row;
}
