import type { DecisionRecordV1 } from '@nqpf/contracts';

/** One automated decision recorded in an event payload, with the payload field that holds it. */
export interface RecordedDecision {
  /** Dotted path in the payload, e.g. `decision`, `revocationCheck`, `grants.0.decision`. */
  field: string;
  decision: DecisionRecordV1;
}

/** A libs/rules Decision has exactly this shape; anything else in a payload is not one. */
export function isDecisionRecord(value: unknown): value is DecisionRecordV1 {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.rule === 'string' &&
    typeof v.rulesetVersion === 'string' &&
    typeof v.policyVersion === 'string' &&
    'inputs' in v &&
    'outcome' in v &&
    Array.isArray(v.reasons)
  );
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
