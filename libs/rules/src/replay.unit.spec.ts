import eligible from '../examples/eligible-application.json';
import materials from '../examples/materials-complete.json';
import areaReduced from '../examples/major-change-area-reduced.json';
import { bundledCalendar } from './calendar/bundled-calendar';
import { CalendarRegistry } from './calendar/calendar-registry';
import { canonicalJson } from '@nqpf/contracts';
import { Decision, decisionToJson } from './decision';
import { decideEligibility } from './eligibility';
import { decideExpenditure } from './expenditure';
import { decideGrade } from './grading';
import { decideMajorChange } from './major-change';
import { decideMaterials } from './materials';
import { decideObjectionAdmissible } from './objection';
import { DEFAULT_POLICY } from './policy/default-policy';
import { defaultPolicy, defaultPolicyRegistry, UnknownPolicyVersionError } from './policy/policy-registry';
import { decidePublicityEnd } from './publicity';
import { decideAnnualReportDue, decideQuarterlyReportDue, decideReportOverdue } from './reporting-deadlines';
import {
  decideConsecutiveUnqualified,
  decideOperatingDeadline,
  decideOperationStartDeclaration,
} from './revocation';
import { DECIDERS, replayDecision, replayMatches, UnknownDecisionRuleError } from './replay';
import { decideAnnualSubsidy, decideYear1Subsidy } from './subsidy';
import { validatePolicy } from './policy/validate-policy';
import { RULESET_VERSION, RULESET_VERSIONS, RulesetVersion } from './version';

const p = defaultPolicy;
const recorded: Decision<unknown, unknown>[] = [
  decideEligibility(eligible, p),
  decideMaterials(materials, p),
  decidePublicityEnd({ publishedOn: '2025-12-29' }, p, bundledCalendar()),
  decideObjectionAdmissible(
    {
      receivedAt: '2026-02-07T00:00:00+08:00',
      publishedOn: '2026-01-30',
      publicityEndsAtExclusive: '2026-02-07T00:00:00+08:00',
      inWriting: true,
    },
    p,
  ),
  decideQuarterlyReportDue({ year: 2026, quarter: 2 }, p),
  decideAnnualReportDue({ reportYear: 2026 }, p),
  decideReportOverdue(
    { report: 'annual', dueDate: '2027-01-31', filedOn: '2027-02-01T09:00:00+08:00', asOf: '2027-02-02' },
    p,
  ),
  decideOperatingDeadline({ recognizedOn: '2026-03-10', operationStartedOn: '2028-03-11' }, p),
  decideOperationStartDeclaration(
    { recognizedOn: '2026-03-10', operationStartedOn: '2028-03-10', declaredOn: '2028-03-11' },
    p,
  ),
  decideConsecutiveUnqualified(
    {
      grades: [
        { year: 2027, grade: '不合格' },
        { year: 2028, grade: '不合格' },
      ],
    },
    p,
  ),
  decideGrade({ score: 85 }, p),
  decideMajorChange(areaReduced, p),
  decideYear1Subsidy({ approvedCostsFen: '123456789' }, p),
  decideAnnualSubsidy({ supportYear: 2, previousYearGrade: '良好' }, p),
  decideExpenditure(
    {
      category: '赞助',
      amountFen: '1',
      disbursedFen: '10',
      spentOn: '2027-01-05',
      supportYear: 1,
      calendarYear: 2026,
      decidedOn: '2027-01-06',
    },
    p,
  ),
];

describe('decision replay', () => {
  it('covers every registered decision', () => {
    expect(recorded.map((d) => d.rule).sort()).toEqual(Object.keys(DECIDERS).sort());
  });

  it.each(recorded.map((d) => [d.rule, d] as const))(
    'replays %s byte for byte from its JSON',
    (_rule, decision) => {
      const fromStore = JSON.parse(decisionToJson(decision)) as Decision<unknown, unknown>;
      expect(canonicalJson(replayDecision(fromStore))).toBe(decisionToJson(decision));
      expect(replayMatches(fromStore)).toBe(true);
    },
  );

  it('replays with the recorded policy version, not the newest', () => {
    const newer = validatePolicy({
      ...DEFAULT_POLICY,
      version: 'policy-2027.1',
      effectiveFrom: '2027-01-01',
      year1CapFen: '1',
    });
    const policies = defaultPolicyRegistry();
    policies.register(newer);
    const old = decideYear1Subsidy({ approvedCostsFen: '1000' }, p);
    expect(replayDecision(old, { policies, calendars: new CalendarRegistry() }).outcome).toEqual(old.outcome);
    const withNewer = decideYear1Subsidy({ approvedCostsFen: '1000' }, newer);
    expect(replayMatches(withNewer, { policies, calendars: new CalendarRegistry() })).toBe(true);
  });

  it('replays decisions under a version published before operationStartDeclarationDays existed as they were', () => {
    const { operationStartDeclarationDays: _added, ...before } = DEFAULT_POLICY;
    const older = { ...before, version: 'policy-2026.2', effectiveFrom: '2026-07-01' };
    const policies = defaultPolicyRegistry();
    policies.register(older);
    const context = { policies, calendars: new CalendarRegistry() };
    const olderPolicy = policies.get('policy-2026.2');
    // Recorded before the parameter: the A17.3a decisions of a start and of a deadline passed without one.
    for (const decision of [
      decideOperatingDeadline({ recognizedOn: '2026-07-10', operationStartedOn: '2028-07-11' }, olderPolicy),
      decideOperatingDeadline({ recognizedOn: '2026-07-10', asOf: '2028-07-11' }, olderPolicy),
    ]) {
      const stored = JSON.parse(decisionToJson(decision));
      expect(stored.outcome).toMatchObject({ deadline: '2028-07-10', status: 'missed', revoke: true });
      expect(replayMatches(stored, context)).toBe(true);
    }
    // Taken since under it: the declaration records the days it read (the default's 15), and replays so.
    const declared = decideOperationStartDeclaration(
      { recognizedOn: '2026-07-10', operationStartedOn: '2028-07-10', declaredOn: '2028-07-25' },
      olderPolicy,
    );
    expect(declared.outcome).toMatchObject({ declarationDays: 15, accepted: true });
    expect(replayMatches(JSON.parse(decisionToJson(declared)), context)).toBe(true);
    // A version setting other days replays with its own.
    policies.register({ ...DEFAULT_POLICY, version: 'policy-2026.3', operationStartDeclarationDays: 0 });
    expect(replayMatches({ ...declared, policyVersion: 'policy-2026.3' }, context)).toBe(false);
  });

  it("holds this build's rule-set as its newest replayable version", () => {
    expect(RULESET_VERSIONS.at(-1)).toBe(RULESET_VERSION);
    expect(new Set(recorded.map((d) => d.rulesetVersion))).toEqual(new Set([RULESET_VERSION]));
  });

  // The rules whose code changed take the version; the others decide the same under every version.
  const recordedUnder = (version: RulesetVersion): Decision<unknown, unknown>[] =>
    recorded.map((d) => {
      if (d.rule === 'eligibility') return decideEligibility(eligible, p, version);
      if (d.rule === 'major-change') return decideMajorChange(areaReduced, p, version);
      if (d.rule === 'subsidy-annual') return decideAnnualSubsidy(d.inputs, p, version);
      if (d.rule === 'expenditure') return decideExpenditure(d.inputs, p, version);
      return { ...d, rulesetVersion: version };
    });

  it.each(RULESET_VERSIONS.slice(0, -1).map((v) => [v]))(
    'replays every rule recorded under %s with that version and its recorded result',
    (version) => {
      for (const decision of recordedUnder(version)) {
        expect(decision.rulesetVersion).toBe(version);
        expect(replayMatches(JSON.parse(decisionToJson(decision)))).toBe(true);
      }
    },
  );

  it('replays an eligibility decision recorded under rules-2026.2 without the A6.5 period reason it lacked', () => {
    const stored = JSON.parse(decisionToJson(decideEligibility(eligible, p, 'rules-2026.2')));
    expect(stored.reasons).toHaveLength(9);
    expect(replayMatches(stored)).toBe(true);
    expect(replayMatches({ ...stored, rulesetVersion: RULESET_VERSION })).toBe(false);
  });

  it('replays a rules-2026.1 expenditure named like a prototype member as it was decided then', () => {
    // Recorded in a store under rules-2026.1 (before Object.hasOwn): a forbidden use named by the member.
    const stored = JSON.parse(
      decisionToJson(
        decideExpenditure({ category: 'toString', amountFen: '1', disbursedFen: '10' }, p, 'rules-2026.1'),
      ),
    ) as Decision<unknown, { rejectedFor: string[] }>;
    expect(stored.outcome.rejectedFor).toEqual(['A13:forbiddenUse']);
    expect(replayMatches(stored)).toBe(true);
    const window = { spentOn: '2026-05-10', supportYear: 1, calendarYear: 2026, decidedOn: '2026-06-01' };
    const today = decideExpenditure({ ...(stored.inputs as object), ...window }, p);
    expect(today.outcome).toEqual({ accepted: false, rejectedFor: ['A13:category'] });
    expect(replayMatches({ ...stored, rulesetVersion: 'rules-2026.7' })).toBe(false);
  });

  it('replays an expenditure recorded under rules-2026.7, which had no support-year window, as it was decided', () => {
    // Recorded by finance before the window was part of the decision: no spentOn among the inputs.
    const stored = JSON.parse(
      decisionToJson(
        decideExpenditure({ category: 'rent', amountFen: '1', disbursedFen: '10' }, p, 'rules-2026.7'),
      ),
    ) as Decision<Record<string, unknown>, unknown>;
    expect(stored.inputs).not.toHaveProperty('spentOn');
    expect(replayMatches(stored)).toBe(true);
    // This build's code needs the window: the old inputs are not enough for it.
    expect(() => replayDecision({ ...stored, rulesetVersion: RULESET_VERSION })).toThrow('spentOn');
    // One recorded under rules-2026.8 outside the window replays as rejected for it.
    const outside = recorded.find((d) => d.rule === 'expenditure')!;
    expect(outside.outcome).toEqual({
      accepted: false,
      rejectedFor: ['A13:forbiddenUse', 'A13:withinSupportYear'],
    });
    expect(replayMatches(JSON.parse(decisionToJson(outside)))).toBe(true);
  });

  it('replays a rule-set version this build does not hold with its own code, which then differs', () => {
    const unknown = {
      ...recorded.find((d) => d.rule === 'grade-from-score')!,
      rulesetVersion: 'rules-2019.1',
    };
    expect(replayDecision(unknown).rulesetVersion).toBe(RULESET_VERSION);
    expect(replayMatches(unknown)).toBe(false);
  });

  it('detects a tampered outcome', () => {
    const tampered = { ...recorded.find((d) => d.rule === 'grade-from-score')!, outcome: { grade: '优秀' } };
    expect(replayMatches(tampered)).toBe(false);
  });

  it('refuses unknown rules, policy versions and calendar versions', () => {
    expect(() => replayDecision({ ...recorded[0], rule: 'toString' })).toThrow(UnknownDecisionRuleError);
    expect(() => replayDecision({ ...recorded[0], policyVersion: 'policy-0' })).toThrow(
      UnknownPolicyVersionError,
    );
    expect(() =>
      replayDecision({ ...recorded.find((d) => d.rule === 'publicity-end')!, calendarVersion: 'cn-2099.1' }),
    ).toThrow(/cn-2099.1/);
    expect(() =>
      replayDecision({ ...recorded.find((d) => d.rule === 'publicity-end')!, calendarVersion: undefined }),
    ).toThrow(/no calendar version/);
  });
});
