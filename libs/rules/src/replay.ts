import { CalendarRegistry } from './calendar/calendar-registry';
import { WorkingDayCalendar } from './calendar/working-day-calendar';
import { canonicalJson } from '@nqpf/contracts';
import { Decision } from './decision';
import { RuleInputError } from './errors';
import { decideEligibility } from './eligibility';
import { decideExpenditure } from './expenditure';
import { decideGrade } from './grading';
import { decideMajorChange } from './major-change';
import { decideMaterials } from './materials';
import { decideObjectionAdmissible } from './objection';
import { defaultPolicyRegistry, PolicyRegistry } from './policy/policy-registry';
import { Policy } from './policy/policy';
import { decidePublicityEnd } from './publicity';
import { decideAnnualReportDue, decideQuarterlyReportDue, decideReportOverdue } from './reporting-deadlines';
import {
  decideConsecutiveUnqualified,
  decideOperatingDeadline,
  decideOperationStartDeclaration,
} from './revocation';
import { decideAnnualSubsidy, decideYear1Subsidy } from './subsidy';
import { isReplayableRulesetVersion, RULESET_VERSION, RulesetVersion } from './version';

type Decider = (
  inputs: unknown,
  policy: Policy,
  calendar: () => WorkingDayCalendar,
  ruleset: RulesetVersion,
) => Decision<unknown, unknown>;

/**
 * Every automated decision by its recorded `rule` name. A rule whose logic changed between rule-set
 * versions takes the version (RULESET_VERSIONS); the others decide the same under all of them.
 */
export const DECIDERS: Record<string, Decider> = {
  eligibility: (i, p, _c, r) => decideEligibility(i, p, r),
  materials: (i, p) => decideMaterials(i, p),
  'publicity-end': (i, p, c) => decidePublicityEnd(i, p, c()),
  'objection-admissible': (i, p) => decideObjectionAdmissible(i, p),
  'quarterly-report-due': (i, p) => decideQuarterlyReportDue(i, p),
  'annual-report-due': (i, p) => decideAnnualReportDue(i, p),
  'report-overdue': (i, p) => decideReportOverdue(i, p),
  'operating-deadline': (i, p) => decideOperatingDeadline(i, p),
  'operation-start-declaration': (i, p) => decideOperationStartDeclaration(i, p),
  'consecutive-unqualified': (i, p) => decideConsecutiveUnqualified(i, p),
  'grade-from-score': (i, p) => decideGrade(i, p),
  'major-change': (i, p, _c, r) => decideMajorChange(i, p, r),
  'subsidy-year1': (i, p, _c, r) => decideYear1Subsidy(i, p, r),
  'subsidy-annual': (i, p, _c, r) => decideAnnualSubsidy(i, p, r),
  expenditure: (i, p, _c, r) => decideExpenditure(i, p, r),
};

export class UnknownDecisionRuleError extends Error {
  constructor(readonly rule: string) {
    super(`no decision named '${rule}' is known to ${Object.keys(DECIDERS).length} registered rules`);
    this.name = 'UnknownDecisionRuleError';
  }
}

export interface ReplayContext {
  policies: PolicyRegistry;
  calendars: CalendarRegistry;
}

export function defaultReplayContext(): ReplayContext {
  return { policies: defaultPolicyRegistry(), calendars: new CalendarRegistry() };
}

/**
 * Re-runs a recorded decision from its rule name, inputs and the policy and calendar versions it recorded,
 * with the code of the rule-set version it recorded when this build holds it (RULESET_VERSIONS), else with
 * this build's (whose version then differs). Compare with `replayMatches` (byte-identical canonical JSON).
 */
export function replayDecision(
  decision: Decision<unknown, unknown>,
  context: ReplayContext = defaultReplayContext(),
): Decision<unknown, unknown> {
  const decide = Object.prototype.hasOwnProperty.call(DECIDERS, decision.rule)
    ? DECIDERS[decision.rule]
    : undefined;
  if (!decide) throw new UnknownDecisionRuleError(decision.rule);
  const policy = context.policies.get(decision.policyVersion);
  const calendar = () => {
    if (!decision.calendarVersion)
      throw new RuleInputError(
        'calendarVersion',
        `the ${decision.rule} decision records no calendar version`,
      );
    return context.calendars.forVersion(decision.calendarVersion);
  };
  const recorded = decision.rulesetVersion;
  const ruleset = isReplayableRulesetVersion(recorded) ? recorded : RULESET_VERSION;
  return { ...decide(decision.inputs, policy, calendar, ruleset), rulesetVersion: ruleset };
}

export function replayMatches(decision: Decision<unknown, unknown>, context?: ReplayContext): boolean {
  return canonicalJson(replayDecision(decision, context)) === canonicalJson(decision);
}
