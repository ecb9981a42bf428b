import { defaultPolicyRegistry, Policy } from '@nqpf/rules';

const registry = defaultPolicyRegistry();

/** The policy in force on a date (A8 required materials are policy). */
export function policyInForceOn(date: string): Policy {
  return registry.inForceOn(date);
}
