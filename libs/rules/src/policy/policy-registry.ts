import { RuleInputError } from '../errors';
import { canonicalJson } from '@nqpf/contracts';
import { LocalDate } from '../values/local-date';
import { DEFAULT_POLICY } from './default-policy';
import { Policy } from './policy';
import { validatePolicy } from './validate-policy';

export class UnknownPolicyVersionError extends Error {
  constructor(readonly version: string) {
    super(`no policy with version '${version}' is known`);
    this.name = 'UnknownPolicyVersionError';
  }
}

/** Every policy ever in force, by version, so a recorded decision can be replayed with its own policy. */
export class PolicyRegistry {
  private readonly byVersion = new Map<string, Policy>();

  constructor(policies: unknown[] = []) {
    policies.forEach((p) => this.register(p));
  }

  /** Validates and adds a policy; a version already known with other content is refused. */
  register(raw: unknown): Policy {
    const policy = validatePolicy(raw);
    const known = this.byVersion.get(policy.version);
    if (known && canonicalJson(known) !== canonicalJson(policy))
      throw new RuleInputError(
        'policy.version',
        `'${policy.version}' is already registered with other content`,
      );
    this.byVersion.set(policy.version, policy);
    return policy;
  }

  get(version: string): Policy {
    const policy = this.byVersion.get(version);
    if (!policy) throw new UnknownPolicyVersionError(version);
    return policy;
  }

  /** The policy with the latest effectiveFrom on or before the date. */
  inForceOn(date: LocalDate): Policy {
    const candidates = [...this.byVersion.values()].filter((p) => p.effectiveFrom <= date);
    if (candidates.length === 0) throw new RuleInputError('date', `no policy is in force on ${date}`);
    return candidates.reduce((a, b) => (b.effectiveFrom > a.effectiveFrom ? b : a));
  }

  versions(): string[] {
    return [...this.byVersion.keys()].sort();
  }
}

export const defaultPolicy: Policy = validatePolicy(DEFAULT_POLICY);

export function defaultPolicyRegistry(): PolicyRegistry {
  return new PolicyRegistry([DEFAULT_POLICY]);
}
