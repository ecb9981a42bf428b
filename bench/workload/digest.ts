import { createHash } from 'node:crypto';
import { canonicalJson } from '@nqpf/contracts';
import type { Scenario } from './scenario';

/** SHA-256 over the canonical JSON of every step, in order: equal digests mean the same workload. */
export function scenarioDigest(scenario: Scenario): string {
  const hash = createHash('sha256');
  for (const step of scenario.steps) hash.update(canonicalJson(step)).update('\n');
  return hash.digest('hex');
}
