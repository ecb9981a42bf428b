import { canonicalJson } from '@nqpf/contracts';
import { RULESET_VERSION } from './version';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One rule checked: what was measured, against what, and a sentence for people in both languages. */
export interface Reason {
  ruleId: string;
  criterion: string;
  measured: JsonValue;
  threshold: JsonValue;
  passed: boolean;
  message: { zh: string; en: string };
}

/** The record of one automated decision: enough to replay it and to explain it. */
export interface Decision<I, O> {
  rule: string;
  rulesetVersion: string;
  policyVersion: string;
  calendarVersion?: string;
  inputs: I;
  outcome: O;
  reasons: Reason[];
}

export function makeDecision<I, O>(parts: {
  rule: string;
  /** The rule-set whose code decided: this build's, unless a replay runs an older one. */
  rulesetVersion?: string;
  policyVersion: string;
  calendarVersion?: string;
  inputs: I;
  outcome: O;
  reasons: Reason[];
}): Decision<I, O> {
  const decision: Decision<I, O> = {
    rule: parts.rule,
    rulesetVersion: parts.rulesetVersion ?? RULESET_VERSION,
    policyVersion: parts.policyVersion,
    inputs: parts.inputs,
    outcome: parts.outcome,
    reasons: parts.reasons,
  };
  if (parts.calendarVersion !== undefined) decision.calendarVersion = parts.calendarVersion;
  return decision;
}

export function reason(
  ruleId: string,
  criterion: string,
  measured: JsonValue,
  threshold: JsonValue,
  passed: boolean,
  zh: string,
  en: string,
): Reason {
  return { ruleId, criterion, measured, threshold, passed, message: { zh, en } };
}

/** Canonical JSON of a decision: same inputs → byte-identical text. */
export function decisionToJson(decision: Decision<unknown, unknown>): string {
  return canonicalJson(decision);
}
