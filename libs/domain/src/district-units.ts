import { InvalidInputError } from './errors';
import { requireText } from './input';

/**
 * RULES "Actors": the district-level units of Changchun (县（市）区、开发区) are reference data, set by
 * configuration (NQPF_DISTRICT_UNITS), not by code. This is the default: the units RULES names — seven
 * districts, three county-level cities, one county and the development zones — by the names the district
 * offices' `district` claim carries.
 */
export const DEFAULT_DISTRICT_UNITS: readonly string[] = [
  '南关区',
  '宽城区',
  '朝阳区',
  '二道区',
  '绿园区',
  '双阳区',
  '九台区',
  '榆树市',
  '德惠市',
  '公主岭市',
  '农安县',
  '长春新区',
  '经开区',
  '高新区',
  '汽开区',
  '净月区',
];

/**
 * A3: every application belongs to exactly one district-level unit, one of the configured units — any
 * other name could never be endorsed by a district office (A8) and would only litter the read models.
 */
export function requireDistrictUnit(field: string, value: unknown, units: readonly string[]): string {
  const district = requireText(field, value, 100);
  if (!units.includes(district))
    throw new InvalidInputError(
      field,
      `'${district}' is not a district-level unit of Changchun (A3, RULES "Actors"); one of ${units.join(', ')}`,
    );
  return district;
}
