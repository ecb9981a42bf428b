import type { ApplicationAcceptedV1, ApplicationFactsV1 } from '@nqpf/contracts';
import {
  bundledCalendar,
  creditCodeCheckChar,
  decideEligibility,
  decideObjectionAdmissible,
  decidePublicityEnd,
  defaultPolicy,
} from '@nqpf/rules';
import { givenText } from '@nqpf/domain';
import type { ExpertState } from '../expert/expert.decider';
import type { AdmissibilityDecision, EligibilityDecision, PublicityDecision } from './candidacy.commands';

export function creditCode(stem17: string): string {
  return stem17 + creditCodeCheckChar(stem17);
}

export const INSTITUTION_CODES = Array.from({ length: 10 }, (_, i) =>
  creditCode(`9122010100000${String(i).padStart(4, '0')}`),
);
export const OPERATOR = {
  name: 'Changchun NQPF Operations Ltd',
  creditCode: creditCode('91220101MA0000001'),
};

export function passingFacts(): ApplicationFactsV1 {
  return {
    premises: { buildingAreaM2: '5000.00' },
    services: [
      'technology_trading',
      'intellectual_property',
      'financial_matching',
      'talent_services',
      'legal_services',
    ],
    functions: ['display', 'interaction', 'trading', 'transformation'],
    institutions: INSTITUTION_CODES.map((code, i) => ({
      name: `Institution ${i + 1}`,
      kind: 'enterprise' as const,
      creditCode: code,
    })),
    strategicCooperations: [{ partner: 'Jilin Province S&T Department', level: 'province' }],
    operator: OPERATOR,
    team: { staffInPost: 10, brokers: { junior: 0, intermediate: 4, senior: 1 } },
    activities: { count: 100, periodFrom: '2025-03-01', periodTo: '2026-02-28' },
  };
}

export function accepted(facts: ApplicationFactsV1 = passingFacts()): ApplicationAcceptedV1 {
  return {
    applicationId: 'app-1',
    callId: 'call-2026',
    operatorAccountId: 'op-1',
    district: '南关区',
    revision: 1,
    acceptedAt: '2026-03-12T10:00:00+08:00',
    facts,
    materials: [],
    materialsDecision: {
      rule: 'materials',
      rulesetVersion: 'r1',
      policyVersion: 'p1',
      inputs: { materials: [] },
      outcome: { complete: true, missing: [] },
      reasons: [],
    },
  };
}

/** The real A6 decision from libs/rules with the default policy. */
export function eligibilityOf(facts: ApplicationFactsV1): EligibilityDecision {
  return decideEligibility(facts, defaultPolicy);
}

/** The real A9.3 decision from libs/rules with the bundled working-day calendar. */
export function publicityFrom(publishedOn: string): PublicityDecision {
  return decidePublicityEnd({ publishedOn }, defaultPolicy, bundledCalendar()) as PublicityDecision;
}

export function expert(
  expertId: string,
  conflicts: { name: string; creditCode?: string }[] = [],
): ExpertState {
  return {
    status: 'registered',
    expertId,
    name: `Expert ${expertId}`,
    specialties: ['tech transfer'],
    conflicts,
  };
}

/** The real A9.4 admissibility decision from libs/rules for an objection against a publicity. */
export function admissibilityOf(
  receivedAt: string,
  publicity: PublicityDecision,
  objector: { name?: string | null; contact?: string | null },
  inWriting = true,
): AdmissibilityDecision {
  return decideObjectionAdmissible(
    {
      receivedAt,
      publishedOn: publicity.inputs.publishedOn,
      publicityEndsAtExclusive: publicity.outcome.endsAtExclusive,
      inWriting,
      realName: givenText(objector.name),
      contact: givenText(objector.contact),
    },
    defaultPolicy,
  ) as AdmissibilityDecision;
}
