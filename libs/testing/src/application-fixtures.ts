import { addDays, addYears, creditCodeCheckChar, shanghaiToday } from '@nqpf/rules';

const creditCode = (stem17: string) => stem17 + creditCodeCheckChar(stem17);

/** A6.5: the 12 months up to `until` (default today, Asia/Shanghai), as intake requires at submission. */
export function activityPeriod(until = shanghaiToday(new Date())) {
  return { periodFrom: addDays(addYears(until, -1), 1), periodTo: until };
}

/**
 * A6 facts that pass every criterion exactly at its threshold (10 institutions, 10 staff with 5 qualified
 * brokers, 100 activities in the 12 months up to `activitiesUntil`) on `area` m²; tests vary one field to
 * fail one criterion.
 */
export function applicationFacts(area = '5200.5', activitiesUntil?: string) {
  return {
    premises: { buildingAreaM2: area },
    services: [
      'technology_trading',
      'intellectual_property',
      'financial_matching',
      'talent_services',
      'legal_services',
    ],
    functions: ['display', 'interaction', 'trading', 'transformation'],
    institutions: Array.from({ length: 10 }, (_, i) => ({
      name: `Institution ${i}`,
      kind: 'enterprise',
      creditCode: creditCode(`9122010100000${String(i).padStart(4, '0')}`),
    })),
    strategicCooperations: [{ partner: '吉林省科学技术厅', level: 'province' }],
    operator: { name: 'Operator Ltd', creditCode: creditCode('91220101MA0000001') },
    team: { staffInPost: 10, brokers: { junior: 0, intermediate: 5, senior: 0 } },
    activities: { count: 100, ...activityPeriod(activitiesUntil) },
  };
}

/** A8 material metadata of one kind. */
export function material(kind: string, sha256 = 'b'.repeat(64)) {
  return { kind, fileName: `${kind}.pdf`, mediaType: 'application/pdf', sizeBytes: 2048, sha256 };
}

/** The three materials A8 requires. */
export const requiredMaterials = (sha256?: string) =>
  ['application_form', 'construction_plan', 'co_construction_agreement'].map((kind) =>
    material(kind, sha256),
  );
