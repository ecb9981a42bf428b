import { defaultPolicyRegistry, Policy } from '@nqpf/rules';

const registry = defaultPolicyRegistry();

/** The policy in force on a date (grade bands, deadlines and support years are policy). */
export function policyInForceOn(date: string): Policy {
  return registry.inForceOn(date);
}

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
