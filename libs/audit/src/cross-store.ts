import {
  AssessmentEventTypes as A,
  FinanceEventTypes as F,
  ReportingEventTypes as P,
  ReviewEventTypes as R,
  canonicalJson,
  type DecisionRecordV1,
} from '@nqpf/contracts';
import type { DecisionMismatch, EventToReplay, StoreReplayReport } from './replay-events';

/**
 * Decisions one service copied from another's events, held to the store that recorded the original once
 * every store is read (a store replays alone, so none of its own checks can see another's events):
 * - an annual grant (finance, A12.3) to a grade assessment recorded for the year it rests on (A17.2): its
 *   assessment's, or a correction's (a grant decided before the correction, or one finance holds, rests on
 *   the grade before it);
 * - an A16 revocation (assessment) to a re-check reporting recorded for the center, with its day;
 * - a center tracked (assessment, A17.3a) to the recognition date review recorded;
 * - a payment's A17.3a check (finance) to the deadline and the starts assessment recorded for the center.
 * Each needs the other store, by the name the replay gives it (the service's): without it those checks are
 * not made, and the run says so (`notMade`).
 */
export const CROSS_STORE_CHECKS = {
  'annual-grant': {
    store: 'assessment',
    what: "annual grants (finance.grant-decided, subsidy-annual) against assessment's grades",
  },
  'major-change-revocation': {
    store: 'reporting',
    what: "A16 revocations (assessment.center-revoked) against reporting's major-change re-checks",
  },
  'tracked-recognition': {
    store: 'review',
    what: "tracked centers (assessment.center-tracked) against review's recognition dates",
  },
  'payment-deadline': {
    store: 'assessment',
    what: "disbursements' A17.3a checks (finance.disbursement-recorded) against assessment's tracked deadlines and recorded starts",
  },
} as const;

export type CrossStoreCheck = keyof typeof CROSS_STORE_CHECKS;

type Where = Omit<DecisionMismatch, 'field' | 'rule' | 'reason'>;

/** One decision, matched in its own store, still to be held to another. */
interface Claim {
  check: CrossStoreCheck;
  report: StoreReplayReport;
  where: Where;
  field: string;
  rule: string;
  centerId: string | null;
  payload: Record<string, unknown>;
  decision: DecisionRecordV1;
}

/** One part of a claim against what the other store recorded; equal when they agree. */
interface Compared {
  says: string;
  recorded: unknown;
  decided: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const show = (value: unknown) => (value === undefined ? '(none)' : canonicalJson(value));

/** The center an event is about: its payload's `centerId`, else the envelope's. */
function centerOf(event: EventToReplay, payload: Record<string, unknown>): string | null {
  return typeof payload.centerId === 'string' ? payload.centerId : event.centerId;
}

/**
 * Fed by each store's replay (StoreReplay, through the context): the facts the other stores' decisions
 * are held to, from the store of the service that recorded them, and the decisions to hold. `finish`, once
 * every store is read, turns each match that another store contradicts into a mismatch of its own store.
 */
export class CrossStoreReplay {
  /** assessment: each center's grades by year (its assessment's, then each correction's), and its support year. */
  private readonly grades = new Map<string, Map<string, { grades: unknown[]; supportYear: unknown }>>();
  /** reporting: each center's major-change re-checks, their decision canonical and their day. */
  private readonly reChecks = new Map<string, { decision: string; evaluatedOn: unknown }[]>();
  /** review: each center's recognition dates. */
  private readonly recognitions = new Map<string, unknown[]>();
  /** assessment: each center's tracked recognition (A17.3a), and the starts it recorded. */
  private readonly tracked = new Map<string, Record<string, unknown>>();
  private readonly starts = new Map<string, unknown[]>();
  private readonly claims: Claim[] = [];

  /** Every event of a store, for the facts other stores' decisions are held to. */
  observe(store: string, event: EventToReplay): void {
    const p = isObject(event.payload) ? event.payload : {};
    const center = centerOf(event, p);
    if (center === null) return;
    if (store === CROSS_STORE_CHECKS['annual-grant'].store && event.type === A.AssessmentCompleted) {
      const years = this.grades.get(center) ?? new Map();
      years.set(String(p.year), { grades: [p.grade], supportYear: p.supportYear });
      this.grades.set(center, years);
    }
    if (store === CROSS_STORE_CHECKS['annual-grant'].store && event.type === A.AssessmentRevised) {
      const assessed = this.grades.get(center)?.get(String(p.year));
      if (assessed) assessed.grades.push(p.grade);
    }
    if (
      store === CROSS_STORE_CHECKS['major-change-revocation'].store &&
      event.type === P.MajorChangeEvaluated
    )
      this.reChecks.set(center, [
        ...(this.reChecks.get(center) ?? []),
        { decision: canonicalJson(p.decision ?? null), evaluatedOn: p.evaluatedOn },
      ]);
    if (store === CROSS_STORE_CHECKS['payment-deadline'].store && event.type === A.CenterTracked)
      this.tracked.set(center, p);
    if (store === CROSS_STORE_CHECKS['payment-deadline'].store && event.type === A.OperationStartRecorded)
      this.starts.set(center, [...(this.starts.get(center) ?? []), p.startedOn]);
    // As assessment reads a recognition (assessment.consumer.ts): `recognitionDate`, else `recognizedOn`.
    if (store === CROSS_STORE_CHECKS['tracked-recognition'].store && event.type === R.CenterRecognized)
      this.recognitions.set(center, [
        ...(this.recognitions.get(center) ?? []),
        p.recognitionDate ?? p.recognizedOn,
      ]);
  }

  /** A decision its own store found sound: held to another store's record when it copies one. */
  claim(
    report: StoreReplayReport,
    where: Where,
    event: EventToReplay,
    field: string,
    decision: DecisionRecordV1,
  ): void {
    const check = checkOf(event.type, field, decision.rule);
    if (!check) return;
    const payload = isObject(event.payload) ? event.payload : {};
    this.claims.push({
      check,
      report,
      where,
      field,
      rule: decision.rule,
      centerId: centerOf(event, payload),
      payload,
      decision,
    });
  }

  /**
   * Holds every claim whose other store was read (`read`: the names of the stores read whole) and counts
   * each one it contradicts as a mismatch in its own store's report, not a match. Returns what was not
   * checked for want of a store: one line, or none.
   */
  finish(read: ReadonlySet<string>): string[] {
    const skipped = new Map<CrossStoreCheck, number>();
    for (const claim of this.claims) {
      const needs = CROSS_STORE_CHECKS[claim.check].store;
      if (!read.has(needs)) {
        skipped.set(claim.check, (skipped.get(claim.check) ?? 0) + 1);
        continue;
      }
      const disagreeing = this.compare(claim).filter((c) => show(c.recorded) !== show(c.decided));
      if (disagreeing.length === 0) continue;
      claim.report.matches -= 1;
      claim.report.mismatches.push({
        ...claim.where,
        field: claim.field,
        rule: claim.rule,
        reason: `another store does not agree with its decision: ${disagreeing.map((c) => `${c.says} (recorded ${show(c.recorded)}, decided ${show(c.decided)})`).join('; ')}`,
      });
    }
    if (skipped.size === 0) return [];
    // In the order of CROSS_STORE_CHECKS, whatever order the stores were read in.
    const checks = (Object.keys(CROSS_STORE_CHECKS) as CrossStoreCheck[]).filter((c) => skipped.has(c));
    const stores = [...new Set(checks.map((c) => CROSS_STORE_CHECKS[c].store))];
    const total = [...skipped.values()].reduce((a, b) => a + b, 0);
    return [
      `cross-store checks NOT made for ${total} decision${total === 1 ? '' : 's'} (store${stores.length === 1 ? '' : 's'} ${stores.join(', ')} not read): ` +
        checks.map((c) => `${CROSS_STORE_CHECKS[c].what} (${skipped.get(c)})`).join('; '),
    ];
  }

  private compare(claim: Claim): Compared[] {
    const center = claim.centerId ?? '(none)';
    switch (claim.check) {
      case 'annual-grant': {
        const year = isObject(claim.payload.basis) ? claim.payload.basis.assessedYear : undefined;
        const assessed = this.grades.get(center)?.get(String(year));
        const inputs = isObject(claim.decision.inputs) ? claim.decision.inputs : {};
        const grades = assessed?.grades ?? [];
        return [
          {
            says: "inputs `previousYearGrade` = the `grade` of assessment's `assessment.assessment-completed` of the center for `basis.assessedYear`, or of an `assessment.assessment-revised` correcting it",
            recorded: grades.includes(inputs.previousYearGrade) ? inputs.previousYearGrade : grades.at(-1),
            decided: inputs.previousYearGrade,
          },
          {
            says: '`basis.assessedSupportYear` = its `supportYear`',
            recorded: assessed?.supportYear,
            decided: isObject(claim.payload.basis) ? claim.payload.basis.assessedSupportYear : undefined,
          },
        ];
      }
      case 'major-change-revocation': {
        const decision = canonicalJson(claim.decision);
        const reChecks = this.reChecks.get(center) ?? [];
        const same = reChecks.filter((r) => r.decision === decision);
        const revokedOn = claim.payload.revokedOn;
        const found = same.find((r) => r.evaluatedOn === revokedOn) ?? same[0];
        return [
          {
            says: "the decision is that of a `reporting.major-change-evaluated` of the center in reporting's store, and `revokedOn` its `evaluatedOn`",
            recorded: found
              ? `a re-check of ${String(found.evaluatedOn)}`
              : `none of its ${reChecks.length} re-check${reChecks.length === 1 ? '' : 's'}`,
            decided: `a re-check of ${String(revokedOn)}`,
          },
        ];
      }
      case 'tracked-recognition': {
        const dates = this.recognitions.get(center) ?? [];
        const inputs = isObject(claim.decision.inputs) ? claim.decision.inputs : {};
        return [
          {
            says: "inputs `recognizedOn` = the `recognitionDate` of review's `review.center-recognized` of the center",
            recorded: dates.includes(inputs.recognizedOn) ? inputs.recognizedOn : dates.at(-1),
            decided: inputs.recognizedOn,
          },
        ];
      }
      case 'payment-deadline': {
        const tracked = this.tracked.get(center);
        const inputs = isObject(claim.decision.inputs) ? claim.decision.inputs : {};
        const outcome = isObject(claim.decision.outcome) ? claim.decision.outcome : {};
        const started = inputs.operationStartedOn;
        const starts = this.starts.get(center) ?? [];
        return [
          {
            says: "inputs `recognizedOn` = the `recognizedOn` of assessment's `assessment.center-tracked` of the center",
            recorded: tracked?.recognizedOn,
            decided: inputs.recognizedOn,
          },
          {
            says: "the decision's `policyVersion` = that of assessment's `assessment.center-tracked`",
            recorded: tracked?.policyVersion,
            decided: claim.decision.policyVersion,
          },
          {
            says: "outcome `deadline` = the `operatingDeadline` of assessment's `assessment.center-tracked`",
            recorded: tracked?.operatingDeadline,
            decided: outcome.deadline,
          },
          // Null when none was recorded by the day paid, or finance had not read it yet: nothing to hold.
          ...(started === null || started === undefined
            ? []
            : [
                {
                  says: 'inputs `operationStartedOn` = the `startedOn` of an `assessment.operation-start-recorded` of the center',
                  recorded: starts.includes(started) ? started : starts.at(-1),
                  decided: started,
                },
              ]),
        ];
      }
    }
  }
}

/** Which check, if any, holds a decision of this event type, field and rule. */
function checkOf(type: string, field: string, rule: string): CrossStoreCheck | undefined {
  if (type === F.DisbursementRecorded && field === 'operatingDeadlineCheck') return 'payment-deadline';
  if (field !== 'decision') return undefined;
  if (type === F.GrantDecided && rule === 'subsidy-annual') return 'annual-grant';
  if (type === A.CenterRevoked && rule === 'major-change') return 'major-change-revocation';
  if (type === A.CenterTracked && rule === 'operating-deadline') return 'tracked-recognition';
  return undefined;
}
