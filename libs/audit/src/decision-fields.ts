import {
  AssessmentEventTypes as A,
  FinanceEventTypes as F,
  IntakeEventTypes as I,
  ReportingEventTypes as P,
  ReviewEventTypes as R,
  canonicalJson,
  type DecisionRecordV1,
} from '@nqpf/contracts';
import { findMalformedDecisions, findRecordedDecisions, lackingDecisionFields } from './recorded-decisions';
import { writtenReason } from './written-reason';

/** One payload field an event type records an automated decision in. */
export interface DecisionField {
  eventType: string;
  field: string;
  /** The rules whose decision the field holds (one, except where the event records one of several). */
  rules: readonly string[];
  article: string;
  /** The one case the producer leaves the field without a decision: in words (docs), and as a test. */
  exception?: { when: string; holds: (payload: Record<string, unknown>) => boolean };
  /**
   * What the event records beside the decision and the system acts on (the amount booked, eligible or
   * not, the deadline): it must be what the decision says, or the replay of a sound decision would vouch
   * for an event that did something else.
   */
  binds?: readonly Binding[];
  /**
   * The payload field holding the day whose policy in force the decision must have been taken under (the
   * services pick it so):
   * a decision naming another version, even one it replays under, was taken under the wrong policy.
   */
  policyOn?: string;
}

/** One thing the event states that the decision decided. */
export interface Binding {
  /** In words, for the docs and the mismatch: a payload field, or what the event's type asserts. */
  says: string;
  recorded: (payload: Record<string, unknown>) => unknown;
  decided: (decision: DecisionRecordV1) => unknown;
}

const outcomeOf = (d: DecisionRecordV1) => (isObject(d.outcome) ? d.outcome : {});

/** The payload's `field` is the outcome's `key`. */
const copies = (field: string, key = field): Binding => ({
  says: `\`${field}\` = outcome \`${key}\``,
  recorded: (p) => p[field],
  decided: (d) => outcomeOf(d)[key],
});

/** The payload's `field` is the version the decision was taken under. */
const version = (field: 'policyVersion' | 'calendarVersion'): Binding => ({
  says: `\`${field}\` = the decision's \`${field}\``,
  recorded: (p) => p[field],
  decided: (d) => d[field],
});

/** The event happens only when the outcome's `key` is false (a rejection). */
const refuses = (key: string): Binding => ({
  says: `outcome \`${key}\` is false`,
  recorded: () => false,
  decided: (d) => outcomeOf(d)[key],
});

/** The event happens only when the outcome's `key` is true (an acceptance, a revocation). */
const requires = (key: string): Binding => ({
  says: `outcome \`${key}\` is true`,
  recorded: () => true,
  decided: (d) => outcomeOf(d)[key],
});

/** A direct grade (A17.1): no grade decision, the bureau's written `reason` instead (decide-assess.ts). */
const directGrade = (p: Record<string, unknown>) =>
  p.decision === null &&
  p.method === 'direct' &&
  writtenReason(A.AssessmentCompleted, { reason: p.reason }) !== null;

/** A return for supplement by hand: no A8 check ran, the bureau's written `reasons` instead (intake). */
const returnedByHand = (p: Record<string, unknown>) =>
  !Object.hasOwn(p, 'materialsDecision') &&
  writtenReason(I.ApplicationReturnedForSupplement, { reasons: p.reasons }) !== null;

const deadline = ['operating-deadline'];

/**
 * Where each event type records its automated decisions: the single source of docs/audit.md section 4
 * (a test holds the docs to `decisionFieldsTable()`). A field listed here without a decision is a
 * replay mismatch, not a decision fewer: removing or stripping one must not make a replay look clean.
 */
export const DECISION_FIELDS: readonly DecisionField[] = [
  {
    eventType: I.ApplicationAccepted,
    field: 'materialsDecision',
    rules: ['materials'],
    article: 'A8',
    binds: [requires('complete')],
  },
  {
    eventType: I.ApplicationReturnedForSupplement,
    field: 'materialsDecision',
    rules: ['materials'],
    article: 'A8',
    exception: {
      when: 'absent when the bureau returned it by hand, with written `reasons`',
      holds: returnedByHand,
    },
  },
  {
    eventType: R.EligibilityDecided,
    field: 'decision',
    rules: ['eligibility'],
    article: 'A6.1–A6.5',
    binds: [copies('eligible')],
  },
  {
    eventType: R.PublicityStarted,
    field: 'decision',
    rules: ['publicity-end'],
    article: 'A9.3',
    binds: [copies('lastDay'), copies('endsAt', 'endsAtExclusive'), version('calendarVersion')],
  },
  {
    eventType: R.ObjectionRaised,
    field: 'admissibility',
    rules: ['objection-admissible'],
    article: 'A9.4',
    binds: [requires('admissible')],
  },
  {
    eventType: P.ReportDueScheduled,
    field: 'decision',
    rules: ['quarterly-report-due', 'annual-report-due'],
    article: 'A14, A15',
    binds: [copies('dueOn', 'dueDate')],
  },
  {
    eventType: P.ReportFiled,
    field: 'decision',
    rules: ['report-overdue'],
    article: 'A14, A15',
    binds: [copies('late', 'overdue')],
  },
  {
    eventType: P.ReportOverdue,
    field: 'decision',
    rules: ['report-overdue'],
    article: 'A14, A15',
    binds: [requires('overdue')],
  },
  { eventType: P.OperationStarted, field: 'decision', rules: deadline, article: 'A17.3a' },
  {
    eventType: P.MajorChangeEvaluated,
    field: 'decision',
    rules: ['major-change'],
    article: 'A16',
    binds: [copies('stillEligible'), copies('failed')],
  },
  {
    eventType: A.CenterTracked,
    field: 'decision',
    rules: deadline,
    article: 'A17.3a',
    binds: [copies('operatingDeadline', 'deadline'), version('policyVersion')],
    policyOn: 'recognizedOn',
  },
  { eventType: A.OperationStartRecorded, field: 'decision', rules: deadline, article: 'A17.3a' },
  {
    eventType: A.AssessmentCompleted,
    field: 'decision',
    rules: ['grade-from-score'],
    article: 'A17.1',
    exception: {
      when: '`null` when the grade was set by hand (`method` `direct`) with a `reason`',
      holds: directGrade,
    },
    binds: [copies('grade')],
    policyOn: 'assessedOn',
  },
  {
    eventType: A.AssessmentCompleted,
    field: 'revocationCheck',
    rules: ['consecutive-unqualified'],
    article: 'A17.3b',
  },
  {
    // revocation.ts records the decision that required it: A16, A17.3a or A17.3b.
    eventType: A.CenterRevoked,
    field: 'decision',
    rules: ['major-change', 'operating-deadline', 'consecutive-unqualified'],
    article: 'A16, A17.3 (the decision that required the revocation)',
    binds: [requires('revoke')],
  },
  {
    eventType: F.GrantDecided,
    field: 'decision',
    rules: ['subsidy-year1', 'subsidy-annual'],
    article: 'A12.2, A12.3',
    binds: [copies('amountFen'), version('policyVersion')],
    policyOn: 'decidedOn',
  },
  {
    eventType: F.ExpenditureAccepted,
    field: 'decision',
    rules: ['expenditure'],
    article: 'A13',
    binds: [requires('accepted')],
  },
  {
    eventType: F.ExpenditureRejected,
    field: 'decision',
    rules: ['expenditure'],
    article: 'A13',
    binds: [refuses('accepted')],
  },
];

/** One decision a replay counts: a whole one to re-run, or one it must report as a mismatch. */
export type DecisionToReplay =
  | { field: string; rule: string; decision: DecisionRecordV1; policyOn?: string }
  | { field: string; rule: string; problem: string };

/**
 * Every decision of one event for a replay to count. The fields DECISION_FIELDS lists for its type must
 * each hold a whole decision of their rule (save the listed exception); any object there with a string
 * `rule` is taken as that decision, stripped or not. The rest of the payload is searched by shape, so a
 * decision in a field not (yet) listed is still replayed.
 */
export function decisionsToReplay(eventType: string, payload: unknown): DecisionToReplay[] {
  const fields = DECISION_FIELDS.filter((f) => f.eventType === eventType);
  const record = isObject(payload) ? payload : {};
  const listed = fields.flatMap((f) => expectedDecision(f, record));
  const rest = isObject(payload)
    ? Object.fromEntries(Object.entries(payload).filter(([key]) => !fields.some((f) => f.field === key)))
    : payload;
  const malformed = findMalformedDecisions(rest).map(({ field, rule, lacks }) => ({
    field,
    rule,
    problem: notWhole(lacks),
  }));
  const whole = findRecordedDecisions(rest).map(({ field, decision }) => ({
    field,
    rule: decision.rule,
    decision,
  }));
  return [...listed, ...malformed, ...whole];
}

function expectedDecision(f: DecisionField, payload: Record<string, unknown>): DecisionToReplay[] {
  if (f.exception?.holds(payload)) return [];
  const value = payload[f.field];
  const expected = f.rules.join('|');
  if (!isObject(value) || typeof value.rule !== 'string')
    return [
      {
        field: f.field,
        rule: expected,
        problem: `missing decision: ${describe(f.field, payload)}, where ${f.eventType} records the ${expected} decision`,
      },
    ];
  const lacks = lackingDecisionFields(value);
  if (lacks.length > 0) return [{ field: f.field, rule: value.rule, problem: notWhole(lacks) }];
  if (!f.rules.includes(value.rule))
    return [
      {
        field: f.field,
        rule: value.rule,
        problem: `a ${value.rule} decision where ${f.eventType} records the ${expected} decision`,
      },
    ];
  const decision = value as unknown as DecisionRecordV1;
  const disagreeing = (f.binds ?? []).filter(
    (b) => canonicalOrNone(b.recorded(payload)) !== canonicalOrNone(b.decided(decision)),
  );
  if (disagreeing.length > 0)
    return [
      {
        field: f.field,
        rule: value.rule,
        problem: `the event does not do what its decision decided: ${disagreeing.map((b) => `${b.says} (recorded ${canonicalOrNone(b.recorded(payload))}, decided ${canonicalOrNone(b.decided(decision))})`).join('; ')}`,
      },
    ];
  const policyOn = f.policyOn === undefined ? undefined : payload[f.policyOn];
  return [
    {
      field: f.field,
      rule: value.rule,
      decision,
      ...(typeof policyOn === 'string' ? { policyOn } : {}),
    },
  ];
}

function canonicalOrNone(value: unknown): string {
  return value === undefined ? '(none)' : canonicalJson(value);
}

function notWhole(lacks: string[]): string {
  return `not a whole decision record (lacks ${lacks.join(', ')})`;
}

/** What the field holds instead of a decision, in words. */
function describe(field: string, payload: Record<string, unknown>): string {
  if (!Object.hasOwn(payload, field)) return `${field} is absent`;
  const value = payload[field];
  if (value === null) return `${field} is null`;
  if (Array.isArray(value)) return `${field} is a list`;
  if (typeof value !== 'object') return `${field} is a ${typeof value}`;
  return `${field} has no rule`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** DECISION_FIELDS as the markdown table of docs/audit.md section 4. */
export function decisionFieldsTable(): string {
  const code = (s: string) => `\`${s}\``;
  const rows = DECISION_FIELDS.map(
    (f) =>
      `| ${code(f.eventType)} | ${code(f.field)} | ${f.rules.map(code).join(', ')} | ${f.article} | ${f.exception?.when ?? 'never'} | ${[...(f.binds ?? []).map((b) => b.says), ...(f.policyOn ? [`its policy is the one in force on \`${f.policyOn}\``] : [])].join('; ') || '—'} |`,
  );
  return [
    '| event type | field | decision (`rule`) | article | without a decision | the event agrees with it |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
