import {
  AssessmentEventTypes as A,
  FinanceEventTypes as F,
  IntakeEventTypes as I,
  ReportingEventTypes as P,
  ReviewEventTypes as R,
  canonicalJson,
  type DecisionRecordV1,
} from '@nqpf/contracts';
import {
  addDays,
  codeOf,
  EXPENDITURE_CATEGORIES,
  FORBIDDEN_EXPENDITURES,
  formatHundredths,
  isIsoInstant,
  isLocalDate,
  isReplayableRulesetVersion,
  readEligibilityFacts,
  readHundredths,
  rulesetBefore,
  shanghaiToday,
} from '@nqpf/rules';
import { mergeFacts } from '@nqpf/domain';
import { findMalformedDecisions, findRecordedDecisions, lackingDecisionFields } from './recorded-decisions';
import { spendingFigures, type StreamFacts } from './stream-facts';
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
   * not, the deadline), and what it restates of the decision's inputs (the category, the day): it must be
   * what the decision says, or the replay of a sound decision would vouch for an event that did something
   * else.
   */
  binds?: readonly Binding[];
  /**
   * The day whose policy in force the decision must have been taken under (the services pick it so): a
   * decision naming another version, even one it replays under, was taken under the wrong policy.
   */
  policyOn?: PolicyDay;
  /**
   * A decision whose outcome `revoke` is true here must be carried by the stream's next event, the
   * revocation (the producer appends the two together): the replay checks that event (replay-events.ts).
   */
  revokes?: boolean;
}

/** What a replay knows of an event besides its type and payload. */
export interface EventContext {
  /** The envelope's `occurredAt`: when the service took the command, by the clock it decided by. */
  occurredAt?: string;
  /** What the stream's earlier events recorded (absent when one event is checked alone). */
  stream?: StreamFacts;
}

/** One thing the event states that the decision decided. */
export interface Binding {
  /** In words, for the docs and the mismatch: a payload field, or what the event's type asserts. */
  says: string;
  /** Only for decisions of these rules (where the field holds one of several). */
  rules?: readonly string[];
  /** False when there is nothing to compare (an earlier event of the stream it needs is not there). */
  applies?: (payload: Record<string, unknown>, context: EventContext) => boolean;
  recorded: (payload: Record<string, unknown>, context: EventContext, decision: DecisionRecordV1) => unknown;
  decided: (decision: DecisionRecordV1, payload: Record<string, unknown>, context: EventContext) => unknown;
}

/** The day a decision's policy must be in force on; undefined when the event does not tell. */
export interface PolicyDay {
  says: string;
  day: (payload: Record<string, unknown>, context: EventContext) => string | undefined;
}

const outcomeOf = (d: DecisionRecordV1) => (isObject(d.outcome) ? d.outcome : {});
const inputsOf = (d: DecisionRecordV1) => (isObject(d.inputs) ? d.inputs : {});

/** The value at a dotted path of the payload (`basis.grade`). */
function at(payload: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), payload);
}

/** The payload's `field` is the outcome's `key`. */
const copies = (field: string, key = field): Binding => ({
  says: `\`${field}\` = outcome \`${key}\``,
  recorded: (p) => at(p, field),
  decided: (d) => outcomeOf(d)[key],
});

/** The payload's `field` restates the decision's input `key`. */
const restates = (field: string, key = field, rules?: readonly string[]): Binding => ({
  says: `\`${field}\` = inputs \`${key}\`${rules ? ` (${rules.join(', ')})` : ''}`,
  ...(rules ? { rules } : {}),
  recorded: (p) => at(p, field),
  decided: (d) => inputsOf(d)[key],
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

/** The payload's `field` names what the decision's rule is (one value per rule). */
const names = (field: string, byRule: Record<string, string | number>): Binding => ({
  says: `\`${field}\` names the rule (${Object.entries(byRule)
    .map(([rule, value]) => `${typeof value === 'string' ? `\`${value}\`` : value} for \`${rule}\``)
    .join(', ')})`,
  recorded: (p) => at(p, field),
  decided: (d) => (Object.hasOwn(byRule, d.rule) ? byRule[d.rule] : `(none for ${d.rule})`),
});

/** An earlier event of the stream recorded what the decision must say: `fact` of it, when it is there. */
const earlier = (
  says: string,
  fact: (stream: StreamFacts, payload: Record<string, unknown>) => unknown,
  decided: (d: DecisionRecordV1, payload: Record<string, unknown>) => unknown,
  rules?: readonly string[],
): Binding => ({
  says,
  ...(rules ? { rules } : {}),
  applies: (p, c) => c.stream !== undefined && fact(c.stream, p) !== undefined,
  recorded: (p, c) => fact(c.stream!, p),
  decided,
});

/**
 * Facts as the A6 rule reads them (readEligibilityFacts normalises: codes for Chinese terms, areas in
 * hundredths, credit codes upper case), or why they cannot be read.
 */
function readFacts(facts: unknown): unknown {
  try {
    return readEligibilityFacts(facts);
  } catch (err) {
    return `(not readable: ${(err as Error).message})`;
  }
}

/**
 * Of two sets of facts, the parts that differ: each side's top-level fields whose values differ (both
 * whole when either is not an object), so that a mismatch names what differs rather than all of them.
 */
function differing(recorded: unknown, decided: unknown): [unknown, unknown] {
  if (!isObject(recorded) || !isObject(decided)) return [recorded, decided];
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(decided)])].filter(
    (k) => canonicalOrNone(recorded[k]) !== canonicalOrNone(decided[k]),
  );
  const pick = (o: Record<string, unknown>) =>
    Object.fromEntries(keys.map((k) => [k, Object.hasOwn(o, k) ? o[k] : '(none)']));
  return [pick(recorded), pick(decided)];
}

/**
 * A decision's input `key` (all of them: undefined) against facts an earlier event of the stream recorded
 * (`facts` undefined: the input must be absent).
 */
function factsFrom(
  says: string,
  facts: (stream: StreamFacts, payload: Record<string, unknown>) => { facts: unknown } | undefined,
  key?: string,
  rules?: readonly string[],
): Binding {
  const both = (d: DecisionRecordV1, p: Record<string, unknown>, c: EventContext) => {
    const recorded = facts(c.stream!, p)!.facts;
    return differing(
      recorded === undefined ? undefined : readFacts(recorded),
      key === undefined ? d.inputs : inputsOf(d)[key],
    );
  };
  return {
    says,
    ...(rules ? { rules } : {}),
    applies: (p, c) => c.stream !== undefined && facts(c.stream, p) !== undefined,
    recorded: (p, c, d) => both(d, p, c)[0],
    decided: (d, p, c) => both(d, p, c)[1],
  };
}

/** A9.4 is decided on the publicity the objection's stream recorded, under that publicity's policy. */
const duringPublicity: Binding[] = [
  earlier(
    "inputs `publishedOn` = `publishedOn` of the stream's `review.publicity-started`",
    (s) => s.publicity?.publishedOn,
    (d) => inputsOf(d).publishedOn,
  ),
  earlier(
    "inputs `publicityEndsAtExclusive` = `endsAt` of the stream's `review.publicity-started`",
    (s) => s.publicity?.endsAt,
    (d) => inputsOf(d).publicityEndsAtExclusive,
  ),
  earlier(
    "the decision's `policyVersion` = its publicity decision's",
    (s) => s.publicity?.policyVersion,
    (d) => d.policyVersion,
  ),
];

/** The policy in force on the date (Asia/Shanghai) of the payload's `field`, a date or an instant. */
const dayOf = (field: string): PolicyDay => ({
  says: `\`${field}\``,
  day: (p) => localDay(p[field]),
});

function localDay(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (isLocalDate(value)) return value;
  if (!isIsoInstant(value)) return undefined;
  return shanghaiToday(new Date(value));
}

/** A direct grade (A17.1): no grade decision, the bureau's written `reason` instead (decide-assess.ts). */
const directGrade = (p: Record<string, unknown>) =>
  p.decision === null &&
  p.method === 'direct' &&
  writtenReason(A.AssessmentCompleted, { reason: p.reason }) !== null;

/** A corrected grade set by hand (A17.1): no grade decision, the grade's written `gradeReason` instead. */
const directRevision = (p: Record<string, unknown>) =>
  p.decision === null &&
  p.method === 'direct' &&
  writtenReason(A.AssessmentRevised, { reason: p.gradeReason }) !== null;

/**
 * A17.1 by score: the score graded is the sum of the indicator scores the event records (decide-assess.ts),
 * in hundredths, as the rule writes it; undefined when they are not a list of readable scores.
 */
function indicatorSum(indicators: unknown): string | undefined {
  if (!Array.isArray(indicators) || indicators.length === 0) return undefined;
  let total = 0;
  for (const item of indicators) {
    try {
      total += readHundredths(isObject(item) ? item.score : undefined, 'score');
    } catch {
      return undefined;
    }
  }
  return formatHundredths(total);
}

/** A return for supplement by hand: no A8 check ran, the bureau's written `reasons` instead (intake). */
const returnedByHand = (p: Record<string, unknown>) =>
  !Object.hasOwn(p, 'materialsDecision') &&
  writtenReason(I.ApplicationReturnedForSupplement, { reasons: p.reasons }) !== null;

const deadline = ['operating-deadline'];
const declaration = ['operation-start-declaration'];

/** A17.3a is decided under the recognition's policy, with its recognition day and stored deadline. */
function underRecognition(
  source: string,
  of: (s: StreamFacts) => StreamFacts['opened'],
  rules: readonly string[] = deadline,
): Binding[] {
  return [
    earlier(
      `inputs \`recognizedOn\` = \`recognizedOn\` of the stream's ${source}`,
      (s) => of(s)?.recognizedOn,
      (d) => inputsOf(d).recognizedOn,
      rules,
    ),
    earlier(
      `the decision's \`policyVersion\` = \`policyVersion\` of the stream's ${source}`,
      (s) => of(s)?.policyVersion,
      (d) => d.policyVersion,
      rules,
    ),
    earlier(
      `outcome \`deadline\` = \`operatingDeadline\` of the stream's ${source}`,
      (s) => of(s)?.operatingDeadline,
      (d) => outcomeOf(d).deadline,
      rules,
    ),
  ];
}

/**
 * A14/A15: a report's deadline is the due day its period was scheduled with — the stream's last
 * `reporting.report-due-scheduled` of the period (a later scheduling replaces an earlier one, as in
 * reporting's obligations).
 */
const scheduledDueDate = earlier(
  "inputs `dueDate` = `dueOn` of the stream's last `reporting.report-due-scheduled` of `period`",
  (s, p) =>
    typeof p.period === 'string' && Object.hasOwn(s.dueOn, p.period) ? s.dueOn[p.period] : undefined,
  (d) => inputsOf(d).dueDate,
);

/** The stream's `reporting.major-change-reported` of the evaluated `changeId`, when it is there. */
function reportedChange(s: StreamFacts, p: Record<string, unknown>) {
  const changes = s.majorChanges;
  return changes && typeof p.changeId === 'string' && Object.hasOwn(changes, p.changeId)
    ? changes[p.changeId]
    : undefined;
}

/**
 * A16: the re-check reads the facts on the change's effective day with its new facts merged in, beside the
 * facts before it when they are whole (from rules-2026.4), as reporting puts them together
 * (decide-major-change.ts): the recognised facts and the earlier changes are the stream's.
 */
const majorChangeFacts: Binding[] = [
  factsFrom(
    "inputs `factsAfterChange` = the facts on its `effectiveOn` (the `facts` of the stream's `reporting.obligations-opened` with the `newFacts` of its earlier `reporting.major-change-reported` effective by then merged in, in effective order) with the `newFacts` of its own `reporting.major-change-reported` (same `changeId`) merged in, as the A6 rule reads them",
    (s, p) => {
      const change = reportedChange(s, p);
      if (!change) return undefined;
      return { facts: isObject(change.newFacts) ? mergeFacts(change.before, change.newFacts) : undefined };
    },
    'factsAfterChange',
  ),
  {
    ...factsFrom(
      'inputs `factsBeforeChange` = those facts on its `effectiveOn` before it, when the A6 rule can read them whole (absent otherwise; from rules-2026.4)',
      (s, p) => {
        const change = reportedChange(s, p);
        if (!change) return undefined;
        // Absent when there are none, or not whole (a recognition that brought only some).
        const whole = change.before !== null && typeof readFacts(change.before) !== 'string';
        return { facts: whole ? change.before : undefined };
      },
      'factsBeforeChange',
    ),
    applies: (p, c) => {
      const ruleset = isObject(p.decision) ? p.decision.rulesetVersion : undefined;
      return (
        c.stream !== undefined &&
        reportedChange(c.stream, p) !== undefined &&
        isReplayableRulesetVersion(ruleset) &&
        !rulesetBefore(ruleset, 'rules-2026.4')
      );
    },
  },
];

/** A period key as reporting names it: 'YYYY-Qn' from a quarterly decision, 'YYYY' from an annual one. */
function periodOf(d: DecisionRecordV1): unknown {
  const i = inputsOf(d);
  return d.rule === 'quarterly-report-due' ? `${String(i.year)}-Q${String(i.quarter)}` : String(i.reportYear);
}

/** An expenditure category as the A13 rule reads it: the code of a Chinese term, else the text. */
function categoryCode(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  return codeOf(EXPENDITURE_CATEGORIES, text) ?? codeOf(FORBIDDEN_EXPENDITURES, text) ?? text;
}

/** An A13 figure the account must have recorded before the decision (stream-facts.ts spendingFigures). */
const drawsOn = (key: 'disbursedFen' | 'spentFen', says: string): Binding => ({
  says,
  applies: (_p, c) => c.stream?.account !== undefined,
  recorded: (p, c) => spendingFigures(c.stream!.account!, p.supportYear)?.[key],
  decided: (d) => inputsOf(d)[key],
});

/** From rules-2026.8 an A13 decision also reads the support-year window; one recorded before does not. */
function decidesWindow(p: Record<string, unknown>): boolean {
  const ruleset = isObject(p.decision) ? p.decision.rulesetVersion : undefined;
  return isReplayableRulesetVersion(ruleset) && !rulesetBefore(ruleset, 'rules-2026.8');
}

/**
 * A13:withinSupportYear: the window the decision judged is the event's day and support year, that year's
 * calendar year as the account opened with it, and the day finance took the command (account.handler.ts:
 * `decidedOn`, or a correction's `correctedOn`, is the Asia/Shanghai day of the clock reading it records as
 * `occurredAt`; `recordedAt` is the store's, which may fall on the next day).
 */
const windowBinds: Binding[] = [
  {
    says: '`spentOn` = inputs `spentOn` (from rules-2026.8)',
    applies: decidesWindow,
    recorded: (p) => p.spentOn,
    decided: (d) => inputsOf(d).spentOn,
  },
  {
    says: '`supportYear` = inputs `supportYear` (from rules-2026.8)',
    applies: decidesWindow,
    recorded: (p) => p.supportYear,
    decided: (d) => inputsOf(d).supportYear,
  },
  {
    says: "inputs `calendarYear` = the `calendarYear` of `supportYear` in the `supportYears` of the stream's `finance.subsidy-account-opened` (from rules-2026.8)",
    applies: (p, c) => decidesWindow(p) && c.stream?.account?.calendarYears !== undefined,
    recorded: (p, c) => c.stream!.account!.calendarYears![String(p.supportYear)],
    decided: (d) => inputsOf(d).calendarYear,
  },
  {
    says: "inputs `decidedOn` = the day it was decided (Asia/Shanghai, the event's `occurredAt`) (from rules-2026.8)",
    applies: (p, c) => decidesWindow(p) && c.occurredAt !== undefined,
    recorded: (_p, c) => localDay(c.occurredAt),
    decided: (d) => inputsOf(d).decidedOn,
  },
];

const expenditureBinds = (accepted: boolean): Binding[] => [
  accepted ? requires('accepted') : refuses('accepted'),
  accepted
    ? restates('category')
    : {
        says: '`category` (its A13 code) = inputs `category`',
        recorded: (p) => categoryCode(p.category),
        decided: (d) => inputsOf(d).category,
      },
  restates('amountFen'),
  drawsOn(
    'disbursedFen',
    "inputs `disbursedFen` = what the stream's account disbursed for `supportYear` before it and may spend: its `finance.disbursement-recorded` less their `finance.entry-reversed`, less the disbursements standing that are dated after the `revokedOn` of its `finance.support-stopped` (to recover), never below inputs `spentFen`",
  ),
  drawsOn(
    'spentFen',
    "inputs `spentFen` = what the stream's account spent of `supportYear` before it: its `finance.expenditure-accepted` less their `finance.entry-reversed`",
  ),
  ...windowBinds,
];

/** The day finance took the command on (Asia/Shanghai): the envelope's `occurredAt`, by finance's clock. */
const commandDay: PolicyDay = {
  says: "the day it was decided (the event's `occurredAt`)",
  day: (_p, c) => localDay(c.occurredAt),
};

/** A17.1 by score: the grade is the decision's, on the sum of the indicator scores recorded. */
const gradedByScore: Binding[] = [
  copies('grade'),
  restates('score'),
  {
    says: 'inputs `score` = the sum of the `indicators` scores (method `score`, in hundredths)',
    applies: (p) => p.method === 'score',
    recorded: (p) => indicatorSum(p.indicators),
    decided: (d) => inputsOf(d).score,
  },
];

/** A17.3b is decided on the grade history: `year`'s grade as the event gives it, the others as the stream had them. */
function gradeHistory(year: string, others: string): Binding[] {
  return [
    {
      says: `inputs \`grades\` holds ${year} graded \`grade\``,
      recorded: (p) => ({ year: p.year, grade: p.grade }),
      decided: (d, p) => gradesOf(d).find((g) => g.year === p.year),
    },
    earlier(
      `inputs \`grades\` of the other years = the stream's earlier ${others}`,
      (s, p) =>
        Object.entries(s.grades)
          .filter(([year]) => year !== String(p.year))
          .map(([year, grade]) => ({ year: Number(year), grade }))
          .sort((a, b) => a.year - b.year),
      (d, p) => gradesOf(d).filter((g) => g.year !== p.year),
    ),
  ];
}

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
    binds: [requires('complete'), restates('materials')],
    policyOn: dayOf('acceptedAt'),
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
    binds: [
      refuses('complete'),
      copies('missing'),
      {
        says: '`reasons` = the Chinese sentence of each failed reason',
        recorded: (p) => p.reasons,
        decided: (d) =>
          (Array.isArray(d.reasons) ? d.reasons : []).filter((r) => !r.passed).map((r) => r.message?.zh),
      },
    ],
    policyOn: dayOf('returnedAt'),
  },
  {
    eventType: R.EligibilityDecided,
    field: 'decision',
    rules: ['eligibility'],
    article: 'A6.1–A6.5',
    binds: [
      copies('eligible'),
      factsFrom(
        "inputs = the `facts` of the stream's `review.candidacy-opened`, as the A6 rule reads them",
        (s) => s.candidacy,
      ),
    ],
    policyOn: {
      says: "`acceptedAt` of the stream's `review.candidacy-opened`",
      day: (_p, c) => localDay(c.stream?.acceptedAt),
    },
  },
  {
    eventType: R.PublicityStarted,
    field: 'decision',
    rules: ['publicity-end'],
    article: 'A9.3',
    binds: [
      restates('publishedOn'),
      copies('lastDay'),
      copies('endsAt', 'endsAtExclusive'),
      version('calendarVersion'),
    ],
    policyOn: dayOf('publishedOn'),
  },
  {
    eventType: R.ObjectionRaised,
    field: 'admissibility',
    rules: ['objection-admissible'],
    article: 'A9.4',
    binds: [
      requires('admissible'),
      restates('raisedAt', 'receivedAt'),
      restates('objector.name', 'realName'),
      restates('objector.contact', 'contact'),
      ...duringPublicity,
    ],
  },
  {
    // A letter the bureau entered that A9.4 refuses: recorded with the decision that refused it.
    eventType: R.ObjectionRefused,
    field: 'admissibility',
    rules: ['objection-admissible'],
    article: 'A9.4',
    binds: [
      refuses('admissible'),
      restates('receivedAt'),
      restates('objector.name', 'realName'),
      restates('objector.contact', 'contact'),
      ...duringPublicity,
    ],
  },
  {
    eventType: P.ReportDueScheduled,
    field: 'decision',
    rules: ['quarterly-report-due', 'annual-report-due'],
    article: 'A14, A15',
    binds: [
      copies('dueOn', 'dueDate'),
      names('kind', { 'quarterly-report-due': 'quarterly', 'annual-report-due': 'annual' }),
      {
        says: '`period` = inputs `year`-Q`quarter`, or `reportYear`',
        recorded: (p) => p.period,
        decided: periodOf,
      },
      {
        says: '`periodEnd` = outcome `quarterEnd`, or `reportYear`-12-31',
        recorded: (p) => p.periodEnd,
        decided: (d) =>
          d.rule === 'quarterly-report-due'
            ? outcomeOf(d).quarterEnd
            : `${String(inputsOf(d).reportYear)}-12-31`,
      },
      {
        ...earlier(
          "the first of its kind (`follows` null): the decision's `policyVersion` = `policyVersion` of the stream's `reporting.obligations-opened`",
          (s) => s.opened?.policyVersion,
          (d) => d.policyVersion,
        ),
        applies: (p, c) => p.follows === null && c.stream?.opened?.policyVersion !== undefined,
      },
    ],
    policyOn: {
      says: "the day after the `dueOn` of the period it `follows` (the stream's `reporting.report-due-scheduled`)",
      day: (p, c) => {
        const before = typeof p.follows === 'string' ? c.stream?.dueOn[p.follows] : undefined;
        return before && isLocalDate(before) ? addDays(before, 1) : undefined;
      },
    },
  },
  {
    eventType: P.ReportFiled,
    field: 'decision',
    rules: ['report-overdue'],
    article: 'A14, A15',
    binds: [
      copies('late', 'overdue'),
      requires('filed'),
      restates('filedOn'),
      restates('dueOn', 'dueDate'),
      restates('kind', 'report'),
      scheduledDueDate,
    ],
    policyOn: dayOf('filedOn'),
  },
  {
    eventType: P.ReportOverdue,
    field: 'decision',
    rules: ['report-overdue'],
    article: 'A14, A15',
    binds: [
      requires('overdue'),
      refuses('filed'),
      restates('dueOn', 'dueDate'),
      restates('asOf'),
      restates('kind', 'report'),
      scheduledDueDate,
    ],
  },
  {
    eventType: P.OperationStartDeclared,
    field: 'decision',
    rules: declaration,
    article: 'A17.3a',
    exception: {
      when: 'absent from declarations recorded before the decision was kept (a start then had to be declared by the deadline)',
      holds: (p) => !Object.hasOwn(p, 'decision'),
    },
    binds: [
      requires('accepted'),
      restates('startedOn', 'operationStartedOn'),
      restates('declaredOn'),
      ...underRecognition('`reporting.obligations-opened`', (s) => s.opened, declaration),
      earlier(
        "outcome `declarationsCloseOn` = `startDeclarationsCloseOn` of the stream's `reporting.obligations-opened`",
        (s) => s.opened?.startDeclarationsCloseOn,
        (d) => outcomeOf(d).declarationsCloseOn,
        declaration,
      ),
    ],
  },
  {
    eventType: P.OperationStarted,
    field: 'decision',
    rules: deadline,
    article: 'A17.3a',
    binds: [
      restates('startedOn', 'operationStartedOn'),
      restates('confirmedOn', 'asOf'),
      ...underRecognition('`reporting.obligations-opened`', (s) => s.opened),
    ],
  },
  {
    eventType: P.MajorChangeEvaluated,
    field: 'decision',
    rules: ['major-change'],
    article: 'A16',
    binds: [copies('stillEligible'), copies('failed'), ...majorChangeFacts],
    policyOn: dayOf('evaluatedOn'),
  },
  {
    eventType: A.CenterTracked,
    field: 'decision',
    rules: deadline,
    article: 'A17.3a',
    binds: [copies('operatingDeadline', 'deadline'), restates('recognizedOn'), version('policyVersion')],
    policyOn: dayOf('recognizedOn'),
  },
  {
    eventType: A.OperationStartRecorded,
    field: 'decision',
    rules: deadline,
    article: 'A17.3a',
    binds: [
      restates('startedOn', 'operationStartedOn'),
      ...underRecognition('`assessment.center-tracked`', (s) => s.tracked),
    ],
    revokes: true,
  },
  {
    eventType: A.AssessmentCompleted,
    field: 'decision',
    rules: ['grade-from-score'],
    article: 'A17.1',
    exception: {
      when: '`null` when the grade was set by hand (`method` `direct`) with a `reason`',
      holds: directGrade,
    },
    binds: gradedByScore,
    policyOn: dayOf('assessedOn'),
  },
  {
    eventType: A.AssessmentRevised,
    field: 'decision',
    rules: ['grade-from-score'],
    article: 'A17.1 (a correction)',
    exception: {
      when: '`null` when the corrected grade was set by hand (`method` `direct`) with a `gradeReason`',
      holds: directRevision,
    },
    binds: [
      ...gradedByScore,
      earlier(
        "`assessedOn` = `assessedOn` of the stream's `assessment.assessment-completed` of `year` (the day whose bands grade the corrected scores)",
        (s, p) => s.assessedOn?.[String(p.year)],
        (_d, p) => p.assessedOn,
      ),
    ],
    policyOn: dayOf('assessedOn'),
  },
  {
    eventType: A.AssessmentCompleted,
    field: 'revocationCheck',
    rules: ['consecutive-unqualified'],
    article: 'A17.3b',
    binds: gradeHistory(
      '`year`',
      '`assessment.assessment-completed` grades (as any `assessment.assessment-revised` left them)',
    ),
    policyOn: dayOf('assessedOn'),
    revokes: true,
  },
  {
    eventType: A.AssessmentRevised,
    field: 'revocationCheck',
    rules: ['consecutive-unqualified'],
    article: 'A17.3b (on the corrected grades)',
    binds: [
      ...gradeHistory(
        'the corrected `year`',
        'grades (each `assessment.assessment-completed`, as later `assessment.assessment-revised` left it)',
      ),
      earlier(
        "`previousGrade` = the stream's grade of `year` before it",
        (s, p) => s.grades[String(p.year)],
        (_d, p) => p.previousGrade,
      ),
    ],
    policyOn: dayOf('revisedOn'),
    revokes: true,
  },
  {
    // revocation.ts records the decision that required it: A16, A17.3a or A17.3b.
    eventType: A.CenterRevoked,
    field: 'decision',
    rules: ['major-change', 'operating-deadline', 'consecutive-unqualified'],
    article: 'A16, A17.3 (the decision that required the revocation)',
    binds: [
      requires('revoke'),
      names('ruleId', {
        'major-change': 'A16',
        'operating-deadline': 'A17.3a',
        'consecutive-unqualified': 'A17.3b',
      }),
      names('reason', {
        'major-change': 'no-longer-eligible-after-major-change',
        'operating-deadline': 'not-operating-within-deadline',
        'consecutive-unqualified': 'consecutive-unqualified',
      }),
      {
        says: "`explanation` = the message of the decision's first reason",
        applies: (p) => p.explanation !== undefined,
        recorded: (p) => p.explanation,
        decided: (d) => (Array.isArray(d.reasons) && d.reasons[0] ? d.reasons[0].message : undefined),
      },
      {
        says: 'the decision is the `revocationCheck` of the `assessment.assessment-completed` or `assessment.assessment-revised` just before it in the stream (consecutive-unqualified)',
        rules: ['consecutive-unqualified'],
        applies: (_p, c) => c.stream !== undefined,
        recorded: (_p, c, d) => {
          const previous = c.stream?.previous;
          if (previous?.type !== A.AssessmentCompleted && previous?.type !== A.AssessmentRevised)
            return `after ${previous?.type ?? 'nothing'}`;
          return previous.revocationCheck === canonicalJson(d) ? 'its revocationCheck' : 'another decision';
        },
        decided: () => 'its revocationCheck',
      },
      ...underRecognition('`assessment.center-tracked`', (s) => s.tracked),
    ],
  },
  {
    eventType: F.GrantDecided,
    field: 'decision',
    rules: ['subsidy-year1', 'subsidy-annual'],
    article: 'A12.2, A12.3',
    binds: [
      copies('amountFen'),
      version('policyVersion'),
      names('basis.kind', { 'subsidy-year1': 'year1-costs', 'subsidy-annual': 'assessment' }),
      {
        says: '`supportYear` is 1 (subsidy-year1)',
        rules: ['subsidy-year1'],
        recorded: (p) => p.supportYear,
        decided: () => 1,
      },
      restates('supportYear', 'supportYear', ['subsidy-annual']),
      restates('basis.approvedFen', 'approvedCostsFen', ['subsidy-year1']),
      {
        says: "inputs `approvedCostsFen` = `approvedFen` of the stream's last `finance.year1-costs-approved` or `finance.year1-approval-revised` of `basis.declarationId` (subsidy-year1)",
        rules: ['subsidy-year1'],
        applies: (_p, c) => c.stream?.account !== undefined,
        recorded: (p, c) => {
          const approved = c.stream!.account!.approvedFen;
          const id = at(p, 'basis.declarationId');
          return typeof id === 'string' && Object.hasOwn(approved, id) ? approved[id] : undefined;
        },
        decided: (d) => inputsOf(d).approvedCostsFen,
      },
      restates('basis.grade', 'previousYearGrade', ['subsidy-annual']),
      {
        says: 'after a `finance.annual-grant-revised`: inputs `previousYearGrade` = its `grade` (subsidy-annual)',
        rules: ['subsidy-annual'],
        applies: (_p, c) => c.stream?.previous?.regrant !== undefined,
        recorded: (_p, c) => c.stream!.previous!.regrant!.grade,
        decided: (d) => inputsOf(d).previousYearGrade,
      },
      {
        says: "after a `finance.annual-grant-revised`: the decision's `policyVersion` = that of the grant it takes back (`previousGrantEntryId`, the stream's `finance.grant-decided`) (subsidy-annual)",
        rules: ['subsidy-annual'],
        applies: (_p, c) => c.stream?.previous?.regrant !== undefined,
        recorded: (_p, c) => {
          const replaces = c.stream!.previous!.regrant!.replaces;
          const versions = c.stream?.account?.grantPolicy;
          return typeof replaces === 'string' && versions && Object.hasOwn(versions, replaces)
            ? versions[replaces]
            : undefined;
        },
        decided: (d) => d.policyVersion,
      },
      {
        says: '`basis.assessedSupportYear` = inputs `supportYear` − 1 (subsidy-annual)',
        rules: ['subsidy-annual'],
        recorded: (p) => at(p, 'basis.assessedSupportYear'),
        decided: (d) => {
          const year = inputsOf(d).supportYear;
          return typeof year === 'number' ? year - 1 : undefined;
        },
      },
    ],
    policyOn: {
      // A grant decided again is held to the version of the one it replaces (above), link by link back to
      // a first grant, which is held to its day; the revision day's policy does not apply to it.
      says: '`decidedOn` (not after a `finance.annual-grant-revised`)',
      day: (p, c) => (c.stream?.previous?.regrant === undefined ? localDay(p.decidedOn) : undefined),
    },
  },
  {
    eventType: F.DisbursementRecorded,
    field: 'operatingDeadlineCheck',
    rules: deadline,
    article: 'A17.3a',
    exception: {
      when: 'recorded before the check was made, or while finance knew no operating deadline of the center; then it records no `deadlinePassedAcknowledged` either',
      holds: (p) =>
        !Object.hasOwn(p, 'operatingDeadlineCheck') && !Object.hasOwn(p, 'deadlinePassedAcknowledged'),
    },
    binds: [
      restates('disbursedOn', 'asOf'),
      {
        says: '`deadlinePassedAcknowledged` is true exactly when outcome `revoke` is true and `disbursedOn` is after the revocation day, outcome `deadline` + 1 (a payment the finance officer had to acknowledge)',
        recorded: (p) => p.deadlinePassedAcknowledged,
        decided: (d, p) => {
          const { revoke, deadline } = outcomeOf(d);
          return (
            revoke === true &&
            isLocalDate(deadline) &&
            typeof p.disbursedOn === 'string' &&
            p.disbursedOn > addDays(deadline, 1)
          );
        },
      },
      {
        says: "inputs `recognizedOn` = `recognizedOn` of the stream's `finance.subsidy-account-opened`",
        applies: (_p, c) => c.stream?.account !== undefined,
        recorded: (_p, c) => c.stream!.account!.recognizedOn,
        decided: (d) => inputsOf(d).recognizedOn,
      },
    ],
  },
  {
    eventType: F.ExpenditureAccepted,
    field: 'decision',
    rules: ['expenditure'],
    article: 'A13',
    binds: expenditureBinds(true),
    policyOn: commandDay,
  },
  {
    eventType: F.ExpenditureRejected,
    field: 'decision',
    rules: ['expenditure'],
    article: 'A13',
    binds: expenditureBinds(false),
    policyOn: commandDay,
  },
];

/** The decision's `grades` input, as `{ year, grade }` in year order. */
function gradesOf(d: DecisionRecordV1): { year: unknown; grade: unknown }[] {
  const grades = inputsOf(d).grades;
  return (Array.isArray(grades) ? grades : [])
    .map((g) => ({ year: at(g, 'year'), grade: at(g, 'grade') }))
    .sort((a, b) => Number(a.year) - Number(b.year));
}

/** One decision a replay counts: a whole one to re-run, or one it must report as a mismatch. */
export type DecisionToReplay =
  | { field: string; rule: string; decision: DecisionRecordV1; policyOn?: string }
  | { field: string; rule: string; problem: string };

/**
 * Every decision of one event for a replay to count. The fields DECISION_FIELDS lists for its type must
 * each hold a whole decision of their rule (save the listed exception), and agree with the event (its
 * bindings; those that need the stream's earlier events or the envelope only with `context`); any object
 * there with a string `rule` is taken as that decision, stripped or not. The rest of the payload is
 * searched by shape, so a decision in a field not (yet) listed is still replayed.
 */
export function decisionsToReplay(
  eventType: string,
  payload: unknown,
  context: EventContext = {},
): DecisionToReplay[] {
  const fields = DECISION_FIELDS.filter((f) => f.eventType === eventType);
  const record = isObject(payload) ? payload : {};
  const listed = fields.flatMap((f) => expectedDecision(f, record, context));
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

function expectedDecision(
  f: DecisionField,
  payload: Record<string, unknown>,
  context: EventContext,
): DecisionToReplay[] {
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
  const disagreeing = (f.binds ?? [])
    .filter((b) => (b.rules ?? f.rules).includes(decision.rule))
    .filter((b) => b.applies?.(payload, context) ?? true)
    .map((b) => ({
      says: b.says,
      recorded: canonicalOrNone(b.recorded(payload, context, decision)),
      decided: canonicalOrNone(b.decided(decision, payload, context)),
    }))
    .filter((b) => b.recorded !== b.decided);
  if (disagreeing.length > 0)
    return [
      {
        field: f.field,
        rule: value.rule,
        problem: `the event does not do what its decision decided: ${disagreeing.map((b) => `${b.says} (recorded ${b.recorded}, decided ${b.decided})`).join('; ')}`,
      },
    ];
  const policyOn = f.policyOn?.day(payload, context);
  return [
    {
      field: f.field,
      rule: value.rule,
      decision,
      ...(policyOn === undefined ? {} : { policyOn }),
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

/** The last column of the table: what the event (and its stream) must say of its decision. */
function agreesWith(f: DecisionField): string {
  const says = [
    ...(f.binds ?? []).map((b) => b.says),
    ...(f.policyOn ? [`its policy is the one in force on ${f.policyOn.says}`] : []),
    ...(f.revokes
      ? [
          "outcome `revoke` true: the stream's next event is the `assessment.center-revoked` carrying this decision",
        ]
      : []),
  ];
  return says.join('; ') || '—';
}

/** DECISION_FIELDS as the markdown table of docs/audit.md section 4. */
export function decisionFieldsTable(): string {
  const code = (s: string) => `\`${s}\``;
  const rows = DECISION_FIELDS.map(
    (f) =>
      `| ${code(f.eventType)} | ${code(f.field)} | ${f.rules.map(code).join(', ')} | ${f.article} | ${f.exception?.when ?? 'never'} | ${agreesWith(f)} |`,
  );
  return [
    '| event type | field | decision (`rule`) | article | without a decision | the event agrees with it |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
