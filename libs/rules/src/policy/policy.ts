import type { Grade } from '../catalogue';
import type { Fraction } from '../values/fraction';

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
  consecutiveUnqualifiedToRevoke: number;
  allowedExpenditureCategories: string[];
}
