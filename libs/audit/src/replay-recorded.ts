import { canonicalJson, type DecisionRecordV1 } from '@nqpf/contracts';
import {
  type Decision,
  isReplayableRulesetVersion,
  type ReplayContext,
  replayDecision,
  RULESET_VERSIONS,
} from '@nqpf/rules';

export type ReplayVerdict = { match: true } | { match: false; reason: string };

/**
 * Re-runs one recorded decision with the rule-set, policy and calendar versions it names and compares
 * canonical JSON. This build can only vouch for the rule-sets it holds (RULESET_VERSIONS): a decision
 * taken under another one, or naming a policy or calendar version nobody registered, is a mismatch that
 * says so.
 */
export function replayRecorded(recorded: DecisionRecordV1, context: ReplayContext): ReplayVerdict {
  if (!isReplayableRulesetVersion(recorded.rulesetVersion))
    return {
      match: false,
      reason: `recorded under rule-set version '${recorded.rulesetVersion}'; this build holds only '${RULESET_VERSIONS.join("', '")}'`,
    };
  let replayed: Decision<unknown, unknown>;
  try {
    replayed = replayDecision(recorded as Decision<unknown, unknown>, context);
  } catch (err) {
    return { match: false, reason: `cannot replay: ${(err as Error).message}` };
  }
  if (canonicalJson(replayed) === canonicalJson(recorded)) return { match: true };
  return { match: false, reason: `replay differs in ${differingFields(recorded, replayed).join(', ')}` };
}

function differingFields(recorded: object, replayed: object): string[] {
  const a = recorded as Record<string, unknown>;
  const b = replayed as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const differing = keys.filter((k) => canonicalOrUndefined(a[k]) !== canonicalOrUndefined(b[k]));
  return differing.length > 0 ? differing : ['canonical form'];
}

function canonicalOrUndefined(value: unknown): string | undefined {
  return value === undefined ? undefined : canonicalJson(value);
}
