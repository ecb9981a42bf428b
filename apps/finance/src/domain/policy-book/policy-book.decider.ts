import { FinanceEventTypes, PolicyPublishedV1 } from '@nqpf/contracts';
import { Decider, DomainEvent, RuleViolationError } from '@nqpf/domain';
import {
  canonicalJson,
  validatePublishablePolicy,
  defaultPolicy,
  Policy,
  PolicyValidationError,
  validatePolicy,
} from '@nqpf/rules';
import { checkDate, checkText } from '../shared/checks';

/** The one stream holding every subsidy policy version the bureau published. */
export const POLICY_BOOK_STREAM = 'finance-policy';

export type PolicyBookEvent = DomainEvent<typeof FinanceEventTypes.PolicyPublished, PolicyPublishedV1>;

export type PolicyBookCommand = { kind: 'publish'; policy: unknown; publishedOn: string; reason: string };

/** Versions by effectiveFrom; the RULES.md default policy is in force until the bureau publishes another. */
export interface PolicyBookState {
  policies: Policy[];
}

/** A policy error as 422: a field that departs from the measures names its article as the rule. */
function refused<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof PolicyValidationError)
      throw new RuleViolationError(e.ruleId ?? 'policy-schema', `${e.field}: ${e.problem}`, {
        field: e.field,
      });
    throw e;
  }
}

function decide(command: PolicyBookCommand, state: PolicyBookState): PolicyBookEvent[] {
  const publishedOn = checkDate('publishedOn', command.publishedOn);
  const reason = checkText('reason', command.reason);
  const policy = refused(() => validatePolicy(command.policy));
  const sameVersion = state.policies.find((p) => p.version === policy.version);
  if (sameVersion) {
    if (canonicalJson(sameVersion) === canonicalJson(policy)) return []; // a retried publication
    throw new RuleViolationError(
      'policy-versioning',
      `version '${policy.version}' is already published with other content; publish a new version`,
      {
        field: 'policy.version',
      },
    );
  }
  // A new version keeps to the measures (MEASURE_LIMITS in libs/rules), naming the field and its article,
  // and to amounts the ledger can hold (validatePublishablePolicy). Versions published before these checks
  // stay in the book as they were (evolve does not re-check them); a retry of one is still the no-op above.
  refused(() => validatePublishablePolicy(command.policy));
  // Not on the publication day either: intake, review, reporting and assessment copy the version from
  // finance's topic, and a decision taken there before the copy arrives would use the previous one.
  if (policy.effectiveFrom <= publishedOn)
    throw new RuleViolationError(
      'policy-versioning',
      `a policy takes effect the day after it is published (${publishedOn}) at the earliest, not ${policy.effectiveFrom}: decisions already taken stay under their version, and every service must hold it before it is in force`,
      { field: 'policy.effectiveFrom' },
    );
  const clash = state.policies.find((p) => p.effectiveFrom === policy.effectiveFrom);
  if (clash)
    throw new RuleViolationError(
      'policy-versioning',
      `version '${clash.version}' already takes effect on ${policy.effectiveFrom}`,
      {
        field: 'policy.effectiveFrom',
      },
    );
  return [
    {
      type: FinanceEventTypes.PolicyPublished,
      schemaVersion: 1,
      payload: {
        version: policy.version,
        effectiveFrom: policy.effectiveFrom,
        publishedOn,
        policy: policy as unknown as Record<string, unknown>,
        reason,
      },
    },
  ];
}

function evolve(state: PolicyBookState, event: PolicyBookEvent): PolicyBookState {
  const policy = event.payload.policy as unknown as Policy;
  return {
    policies: [...state.policies, policy].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)),
  };
}

/** The version a decision taken on `date` must use: the latest effectiveFrom on or before it. */
export function policyInForceOn(state: PolicyBookState, date: string): Policy {
  const inForce = state.policies.filter((p) => p.effectiveFrom <= date).at(-1);
  if (!inForce)
    throw new RuleViolationError('policy-versioning', `no subsidy policy is in force on ${date}`, { date });
  return inForce;
}

export function policyByVersion(state: PolicyBookState, version: string): Policy | undefined {
  return state.policies.find((p) => p.version === version);
}

/** Subsidy policy versions (A12, A13 parameters), published by the city bureau, effective from a date. */
export const policyBookDecider: Decider<PolicyBookCommand, PolicyBookEvent, PolicyBookState> = {
  initialState: () => ({ policies: [defaultPolicy] }),
  decide,
  evolve,
  /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
  eventTypes: { [FinanceEventTypes.PolicyPublished]: true },
};
