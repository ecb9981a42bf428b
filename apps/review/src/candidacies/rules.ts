import { bundledCalendar, defaultPolicyRegistry, Policy, WorkingDayCalendar } from '@nqpf/rules';

const policies = defaultPolicyRegistry();
const calendar = bundledCalendar();

/** The policy in force on a date (thresholds of A6, publicity length of A9.3). */
export function policyInForceOn(date: string): Policy {
  return policies.inForceOn(date);
}

/** The working-day calendar with the years shipped; a year not covered is an explicit error. */
export function workingDayCalendar(): WorkingDayCalendar {
  return calendar;
}
