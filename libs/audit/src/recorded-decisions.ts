import type { DecisionRecordV1 } from '@nqpf/contracts';

/** One automated decision recorded in an event payload, with the payload field that holds it. */
export interface RecordedDecision {
  /** Dotted path in the payload, e.g. `decision`, `revocationCheck`, `grants.0.decision`. */
  field: string;
  decision: DecisionRecordV1;
}

/** Something recorded as a decision (a rule and its inputs) that lacks the rest of the shape. */
export interface MalformedDecision {
  field: string;
  rule: string;
  /** The decision fields missing or of the wrong type, e.g. ['reasons']. */
  lacks: string[];
}

/** The fields of a decision record `value` lacks (or holds with the wrong type); [] for a whole one. */
export function lackingDecisionFields(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return ['rule', 'rulesetVersion', 'policyVersion', 'inputs', 'outcome', 'reasons'];
  const v = value as Record<string, unknown>;
  const checks: [string, boolean][] = [
    ['rule', typeof v.rule === 'string'],
    ['rulesetVersion', typeof v.rulesetVersion === 'string'],
    ['policyVersion', typeof v.policyVersion === 'string'],
    ['inputs', 'inputs' in v],
    ['outcome', 'outcome' in v],
    ['reasons', Array.isArray(v.reasons)],
  ];
  return checks.filter(([, present]) => !present).map(([field]) => field);
}

/** A libs/rules Decision has exactly this shape; anything else in a payload is not one. */
export function isDecisionRecord(value: unknown): value is DecisionRecordV1 {
  return lackingDecisionFields(value).length === 0;
}

/**
 * Every decision in a payload, in field order. Found by shape, not by field name, so a new event type
 * carrying a decision (`decision`, `materialsDecision`, `admissibility`, `revocationCheck`…) is audited
 * without a change here. A decision's own inputs are not searched.
 */
export function findRecordedDecisions(payload: unknown, path = ''): RecordedDecision[] {
  if (isDecisionRecord(payload)) return [{ field: path, decision: payload }];
  if (payload === null || typeof payload !== 'object') return [];
  const entries = Array.isArray(payload)
    ? payload.map((v, i) => [String(i), v] as const)
    : Object.entries(payload as Record<string, unknown>);
  return entries.flatMap(([key, value]) => findRecordedDecisions(value, path ? `${path}.${key}` : key));
}

/**
 * Objects with a rule and inputs that are not whole decisions (reasons or versions missing): a replay
 * counts each as a mismatch. Passing them over would let a stripped decision drop out of the audit.
 * (Where an event type is known to carry a decision, DECISION_FIELDS asks more: see decisionsToReplay.)
 */
export function findMalformedDecisions(payload: unknown, path = ''): MalformedDecision[] {
  if (payload === null || typeof payload !== 'object' || isDecisionRecord(payload)) return [];
  const v = payload as Record<string, unknown>;
  if (!Array.isArray(payload) && typeof v.rule === 'string' && 'inputs' in v)
    return [{ field: path, rule: v.rule, lacks: lackingDecisionFields(v) }];
  const entries = Array.isArray(payload)
    ? payload.map((value, i) => [String(i), value] as const)
    : Object.entries(v);
  return entries.flatMap(([key, value]) => findMalformedDecisions(value, path ? `${path}.${key}` : key));
}
