import {
  AssessmentEventTypes as A,
  FinanceEventTypes as F,
  ReportingEventTypes as P,
  ReviewEventTypes as R,
  canonicalJson,
} from '@nqpf/contracts';
import { factsOn, type Facts } from '@nqpf/domain';

/**
 * What the earlier events of one stream recorded that a later decision of the stream must agree with: the
 * day the service picked its policy by, the recognition's policy and deadline, the grades before. A replay
 * reads a store by position, so a stream's earlier events come first (stream versions ascend with it).
 */
export interface StreamFacts {
  /** review.candidacy-opened `acceptedAt`: eligibility is decided under the policy in force that day. */
  acceptedAt?: string;
  /** review.candidacy-opened `facts`: what eligibility is decided on. */
  candidacy?: { facts: unknown };
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
  /**
   * reporting.obligations-opened `facts` (the recognised art. 6 facts, null when none came) and the major
   * changes reported since, in stream order: the baseline an A16 re-check compares with.
   */
  recognized?: { facts: Facts | null; changes: { effectiveOn: string; newFacts: Facts }[] };
  /**
   * reporting.major-change-reported by `changeId`: the facts on its effective day before it, and the new
   * facts it reported (what its reporting.major-change-evaluated must have re-checked).
   */
  majorChanges?: Record<string, { before: Facts | null; newFacts: unknown }>;
  /** assessment.center-tracked: the recognition A17.3a is decided under. */
  tracked?: { recognizedOn: unknown; policyVersion: unknown; operatingDeadline: unknown };
  /** The grades by year before this event: each assessment.assessment-completed, as its revisions left it. */
  grades: Record<string, unknown>;
  /** assessment.assessment-completed `assessedOn` by year: the day a revision's scores are graded under. */
  assessedOn?: Record<string, unknown>;
  /**
   * finance.subsidy-account-opened, and what the account recorded since: the year-1 costs the bureau
   * approved, by declaration (the last `finance.year1-costs-approved` or `finance.year1-approval-revised`),
   * and the ledger the A13 decisions draw on.
   */
  account?: AccountFacts;
  /** The event just before this one in the stream: its type and its A17.3b decision, canonical. */
  previous?: {
    type: string;
    revocationCheck?: string;
    /** finance.annual-grant-revised: the grant it takes back, and the corrected grade the next grant is on. */
    regrant?: { replaces: unknown; grade: unknown };
  };
}

/**
 * One subsidy account as finance's reducer keeps it (apps/finance subsidy-account.state.ts `evolve`, and the
 * sums of subsidy-account.ledger.ts), for what an A13 decision reads: by support year, the disbursements and
 * the accepted expenditures, each less its reversals (`finance.entry-reversed`), and the disbursements
 * standing with their day, for those paid after the revocation day (to recover, not to spend). Grants and
 * cancellations do not enter A13's figures.
 */
export interface AccountFacts {
  approvedFen: Record<string, unknown>;
  /** Σ disbursement entries by support year (a reversal counts negative). */
  disbursedFen: Record<string, bigint>;
  /** Σ expenditure entries by support year (a reversal counts negative). */
  spentFen: Record<string, bigint>;
  /** The disbursements not reversed, by entry id. */
  payments: Record<string, { supportYear: string; amountFen: bigint; disbursedOn: unknown }>;
  /** finance.support-stopped `revokedOn`: payments dated after it are to be recovered. */
  revokedOn: string | null;
  /**
   * finance.grant-decided `policyVersion` by entry id: a grant decided again on a corrected grade is decided
   * under the version of the grant it takes back (finance's inbound-commands.ts reviseGrantOnAssessment).
   */
  grantPolicy?: Record<string, unknown>;
  /** finance.subsidy-account-opened `supportYears`: each support year's calendar year (A12.1), by year. */
  calendarYears?: Record<string, unknown>;
  /** finance.subsidy-account-opened `recognizedOn`: the recognition a payment's A17.3a check is taken from. */
  recognizedOn?: unknown;
  /** A ledger event whose amount or support year could not be read: the figures are not known. */
  unreadable?: string;
}

/**
 * What an A13 decision of `supportYear` must have drawn on, as finance decides it (decide-ledger.ts
 * `spendable`): spent, and disbursed less what is to be recovered, never below spent. Undefined when the
 * account's figures could not be read.
 */
export function spendingFigures(
  account: AccountFacts,
  supportYear: unknown,
): { disbursedFen: string; spentFen: string } | undefined {
  if (account.unreadable !== undefined || !Number.isInteger(supportYear)) return undefined;
  const year = String(supportYear);
  const disbursed = account.disbursedFen[year] ?? 0n;
  const spent = account.spentFen[year] ?? 0n;
  const toRecover = Object.values(account.payments)
    .filter(
      (pay) =>
        pay.supportYear === year &&
        account.revokedOn !== null &&
        typeof pay.disbursedOn === 'string' &&
        pay.disbursedOn > account.revokedOn,
    )
    .reduce((sum, pay) => sum + pay.amountFen, 0n);
  const available = disbursed - toRecover;
  return { disbursedFen: String(available < spent ? spent : available), spentFen: String(spent) };
}

/** A ledger entry's support year and amount, undefined when either cannot be read. */
function ledgerEntry(p: Record<string, unknown>): { year: string; fen: bigint } | undefined {
  if (!Number.isInteger(p.supportYear) || typeof p.amountFen !== 'string' || !/^\d{1,30}$/.test(p.amountFen))
    return undefined;
  return { year: String(p.supportYear), fen: BigInt(p.amountFen) };
}

const plus = (sums: Record<string, bigint>, year: string, fen: bigint) => ({
  ...sums,
  [year]: (sums[year] ?? 0n) + fen,
});

/** The account after one more of its ledger events (finance's evolve, for what A13 reads). */
function rememberLedger(account: AccountFacts, type: string, p: Record<string, unknown>): AccountFacts {
  if (type === F.SupportStopped)
    return { ...account, revokedOn: typeof p.revokedOn === 'string' ? p.revokedOn : null };
  if (type !== F.DisbursementRecorded && type !== F.ExpenditureAccepted && type !== F.EntryReversed)
    return account;
  const entry = ledgerEntry(p);
  if (!entry) return { ...account, unreadable: account.unreadable ?? `${type} ${String(p.entryId)}` };
  const { year, fen } = entry;
  if (type === F.DisbursementRecorded)
    return {
      ...account,
      disbursedFen: plus(account.disbursedFen, year, fen),
      payments: {
        ...account.payments,
        [String(p.entryId)]: { supportYear: year, amountFen: fen, disbursedOn: p.disbursedOn },
      },
    };
  if (type === F.ExpenditureAccepted) return { ...account, spentFen: plus(account.spentFen, year, fen) };
  // A reversal: the entry it names is no longer standing, and its kind's sum falls by its amount.
  const { [String(p.reversesEntryId)]: _reversed, ...payments } = account.payments;
  if (p.kind === 'disbursement')
    return { ...account, disbursedFen: plus(account.disbursedFen, year, -fen), payments };
  if (p.kind === 'expenditure') return { ...account, spentFen: plus(account.spentFen, year, -fen), payments };
  return { ...account, payments };
}

/** A major change reported: what it is judged against, then one change more in the stream's baseline. */
function rememberMajorChange(facts: StreamFacts, p: Record<string, unknown>): StreamFacts {
  const recognized = facts.recognized;
  if (!recognized || typeof p.changeId !== 'string') return facts;
  const effectiveOn = String(p.effectiveOn);
  const newFacts = isObject(p.newFacts) ? p.newFacts : {};
  return {
    ...facts,
    recognized: { ...recognized, changes: [...recognized.changes, { effectiveOn, newFacts }] },
    majorChanges: {
      ...facts.majorChanges,
      [p.changeId]: {
        before: factsOn(recognized.facts, recognized.changes, effectiveOn),
        newFacts: p.newFacts,
      },
    },
  };
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
      ...(type === A.AssessmentCompleted || type === A.AssessmentRevised
        ? { revocationCheck: canonicalJson(p.revocationCheck ?? null) }
        : {}),
      ...(type === F.AnnualGrantRevised
        ? { regrant: { replaces: p.previousGrantEntryId, grade: p.grade } }
        : {}),
    },
  };
  switch (type) {
    case R.CandidacyOpened:
      if (typeof p.acceptedAt === 'string') next.acceptedAt = p.acceptedAt;
      next.candidacy = { facts: p.facts };
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
      next.recognized = { facts: isObject(p.facts) ? p.facts : null, changes: [] };
      next.majorChanges = {};
      break;
    case P.MajorChangeReported:
      return rememberMajorChange(next, p);
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
      next.assessedOn = { ...facts.assessedOn, [String(p.year)]: p.assessedOn };
      break;
    case A.AssessmentRevised:
      next.grades = { ...facts.grades, [String(p.year)]: p.grade };
      break;
    case F.SubsidyAccountOpened:
      next.account = {
        approvedFen: {},
        disbursedFen: {},
        spentFen: {},
        payments: {},
        revokedOn: null,
        recognizedOn: p.recognizedOn,
        calendarYears: Object.fromEntries(
          (Array.isArray(p.supportYears) ? p.supportYears : [])
            .filter(isObject)
            .map((y) => [String(y.supportYear), y.calendarYear]),
        ),
      };
      break;
    case F.Year1CostsApproved:
    case F.Year1ApprovalRevised:
      if (next.account && typeof p.declarationId === 'string')
        next.account = {
          ...next.account,
          approvedFen: { ...next.account.approvedFen, [p.declarationId]: p.approvedFen },
        };
      break;
    case F.GrantDecided:
      if (next.account && typeof p.entryId === 'string')
        next.account = {
          ...next.account,
          grantPolicy: { ...next.account.grantPolicy, [p.entryId]: p.policyVersion },
        };
      break;
    case F.DisbursementRecorded:
    case F.ExpenditureAccepted:
    case F.EntryReversed:
    case F.SupportStopped:
      if (next.account) next.account = rememberLedger(next.account, type, p);
      break;
  }
  return next;
}
