import {
  AssessmentEventTypes as A,
  FinanceEventTypes as F,
  ReportingEventTypes as P,
  ReviewEventTypes as R,
  canonicalJson,
} from '@nqpf/contracts';

/**
 * What the earlier events of one stream recorded that a later decision of the stream must agree with: the
 * day the service picked its policy by, the recognition's policy and deadline, the grades before. A replay
 * reads a store by position, so a stream's earlier events come first (stream versions ascend with it).
 */
export interface StreamFacts {
  /** review.candidacy-opened `acceptedAt`: eligibility is decided under the policy in force that day. */
  acceptedAt?: string;
  /** review.publicity-started: the period an objection is admitted in, and the policy it was counted under. */
  publicity?: { publishedOn: unknown; endsAt: unknown; policyVersion: unknown };
  /** reporting.obligations-opened: the recognition A17.3a and the first report deadlines are decided under. */
  opened?: {
    recognizedOn: unknown;
    policyVersion: unknown;
    operatingDeadline?: unknown;
    startDeclarationsCloseOn?: unknown;
  };
  /**
   * reporting.report-due-scheduled `dueOn` by period, the last scheduling of each: the next period is
   * scheduled the day after it, and a filing or an overdue report is decided on it.
   */
  dueOn: Record<string, string>;
  /** assessment.center-tracked: the recognition A17.3a is decided under. */
  tracked?: { recognizedOn: unknown; policyVersion: unknown; operatingDeadline: unknown };
  /** assessment.assessment-completed grades by year, before this event. */
  grades: Record<string, unknown>;
  /**
   * finance.subsidy-account-opened, and what the account recorded since: the year-1 costs the bureau
   * approved, by declaration (the last `finance.year1-costs-approved` or `finance.year1-approval-revised`).
   */
  account?: { approvedFen: Record<string, unknown> };
  /** The event just before this one in the stream: its type and its A17.3b decision, canonical. */
  previous?: { type: string; revocationCheck?: string };
}

export const noStreamFacts = (): StreamFacts => ({ dueOn: {}, grades: {} });

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The facts of a stream after one more of its events. */
export function rememberEvent(facts: StreamFacts, type: string, payload: unknown): StreamFacts {
  const p = isObject(payload) ? payload : {};
  const next: StreamFacts = {
    ...facts,
    previous: {
      type,
      ...(type === A.AssessmentCompleted
        ? { revocationCheck: canonicalJson(p.revocationCheck ?? null) }
        : {}),
    },
  };
  switch (type) {
    case R.CandidacyOpened:
      if (typeof p.acceptedAt === 'string') next.acceptedAt = p.acceptedAt;
      break;
    case R.PublicityStarted:
      next.publicity = {
        publishedOn: p.publishedOn,
        endsAt: p.endsAt,
        policyVersion: isObject(p.decision) ? p.decision.policyVersion : undefined,
      };
      break;
    case P.ObligationsOpened:
      next.opened = {
        recognizedOn: p.recognizedOn,
        policyVersion: p.policyVersion,
        ...(p.operatingDeadline === undefined ? {} : { operatingDeadline: p.operatingDeadline }),
        ...(p.startDeclarationsCloseOn === undefined
          ? {}
          : { startDeclarationsCloseOn: p.startDeclarationsCloseOn }),
      };
      break;
    case P.ReportDueScheduled:
      if (typeof p.period === 'string' && typeof p.dueOn === 'string')
        next.dueOn = { ...facts.dueOn, [p.period]: p.dueOn };
      break;
    case A.CenterTracked:
      next.tracked = {
        recognizedOn: p.recognizedOn,
        policyVersion: p.policyVersion,
        operatingDeadline: p.operatingDeadline,
      };
      break;
    case A.AssessmentCompleted:
      next.grades = { ...facts.grades, [String(p.year)]: p.grade };
      break;
    case F.SubsidyAccountOpened:
      next.account = { approvedFen: {} };
      break;
    case F.Year1CostsApproved:
    case F.Year1ApprovalRevised:
      if (next.account && typeof p.declarationId === 'string')
        next.account = {
          ...next.account,
          approvedFen: { ...next.account.approvedFen, [p.declarationId]: p.approvedFen },
        };
      break;
  }
  return next;
}
