import type { ActivityCheckV1 } from '@nqpf/contracts';
import type { Policy } from '@nqpf/rules';

/**
 * A6.5 "每年举办…活动不少于100场", checked at the annual assessment on the activities recorded for the
 * calendar year, against minActivitiesPerYear of the policy the assessment is taken under. RULES.md attaches
 * nothing further to a shortfall (A17.3 revokes on the operating deadline and on two unqualified years only):
 * it is recorded with the assessment and shown, and the bureau weighs it in the grade (A17.1).
 */
export function checkAnnualActivities(year: number, count: number, policy: Policy): ActivityCheckV1 {
  const min = policy.minActivitiesPerYear;
  const passed = count >= min;
  return {
    ruleId: 'A6.5',
    criterion: 'annualActivities',
    measured: count,
    threshold: `>= ${min}`,
    passed,
    message: {
      zh: `${year}年记录活动${count}场，${passed ? '不少于' : '少于'}${min}场`,
      en: `${count} activities recorded in ${year}, ${passed ? 'at least' : 'fewer than'} ${min}`,
    },
    policyVersion: policy.version,
  };
}
