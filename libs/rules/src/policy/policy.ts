import type { Grade } from '../catalogue';
import type { Fraction } from '../values/fraction';
import { DEFAULT_POLICY } from './default-policy';

/** A score band: from `fromScore` (inclusive) up to `toScore` (exclusive; the top band includes 100). */
export interface GradeBand {
  grade: Grade;
  fromScore: number;
  toScore: number;
}

/**
 * The numbers the measures leave open (RULES.md "Default policy"): versioned data, effective from a date.
 * Amounts are decimal strings of fen; ratios exact fractions; areas m² with up to two decimals.
 */
export interface Policy {
  version: string;
  effectiveFrom: string;
  minAreaM2: string;
  requiredServices: string[];
  requiredFunctions: string[];
  minInstitutions: number;
  minStrategicCooperations: number;
  minStaff: number;
  minBrokerShare: Fraction;
  minActivitiesPerYear: number;
  requiredMaterials: string[];
  publicityWorkingDays: number;
  supportYears: number;
  year1Rate: Fraction;
  year1CapFen: string;
  annualBaseFen: string;
  gradeRatio: Record<Grade, Fraction>;
  gradeBands: GradeBand[];
  quarterlyReportDueDays: number;
  annualReportDueMonthDay: string;
  operatingDeadlineYears: number;
  /**
   * A17.3a, the system's choice (the measures set none): calendar days after the operating deadline during
   * which a start dated on or before it may still be declared. Absent from versions published before it
   * existed: read it with `operationStartDeclarationDays(policy)`, never directly.
   */
  operationStartDeclarationDays?: number;
  consecutiveUnqualifiedToRevoke: number;
  allowedExpenditureCategories: string[];
}

/**
 * A17.3a: the days after the operating deadline during which a start made by it may still be declared. A
 * version published before the parameter existed has none and is read with the default policy's (15): no
 * decision recorded before it used the number, and every one since records it.
 */
export function operationStartDeclarationDays(policy: Policy): number {
  return policy.operationStartDeclarationDays ?? DEFAULT_POLICY.operationStartDeclarationDays;
}
