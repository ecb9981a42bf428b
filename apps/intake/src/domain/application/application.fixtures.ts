import type { ApplicationFactsV1, MaterialV1 } from '@nqpf/contracts';
import type { CallState } from '../call/call.decider';
import { creditCodeCheckChar } from '@nqpf/rules';

/** A valid unified social credit code built from a 17-character stem. */
export function creditCode(stem17: string): string {
  return stem17 + creditCodeCheckChar(stem17);
}

export const OPERATOR_CODE = creditCode('91220101MA0000001');

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
    institutions: Array.from({ length: 10 }, (_, i) => ({
      name: `Institution ${i + 1}`,
      kind: 'enterprise' as const,
      creditCode: creditCode(`9122010100000${String(i).padStart(4, '0')}`),
    })),
    strategicCooperations: [{ partner: 'Jilin Province S&T Department', level: 'province' }],
    operator: { name: 'Changchun NQPF Operations Ltd', creditCode: OPERATOR_CODE },
    team: { staffInPost: 10, brokers: { junior: 0, intermediate: 4, senior: 1 } },
    activities: { count: 100, periodFrom: '2025-03-01', periodTo: '2026-02-28' },
  };
}

const HASH = 'a'.repeat(64);

export function material(kind: MaterialV1['kind'], fileName = `${kind}.pdf`): MaterialV1 {
  return { kind, fileName, mediaType: 'application/pdf', sizeBytes: 1024, sha256: HASH };
}

export function allMaterials(): MaterialV1[] {
  return [material('application_form'), material('construction_plan'), material('co_construction_agreement')];
}

export const OPEN_CALL: Extract<CallState, { status: 'open' | 'closed' }> = {
  status: 'open',
  callId: 'call-2026',
  year: 2026,
  opensOn: '2026-03-01',
  closesOn: '2026-04-30',
};
