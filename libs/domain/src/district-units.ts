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

/** NQPF_DISTRICT_UNITS is unusable as given; each service wraps the message in its configuration error. */
export class DistrictUnitsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DistrictUnitsError';
  }
}

/**
 * NQPF_DISTRICT_UNITS as every service reads it, through its configuration (libs/platform) or its
 * authentication (libs/auth), which is why it lives here, below both: comma-separated, trimmed; unset or
 * empty, the default. A list naming none, or a unit twice (a lost edit, a paste), stops the start.
 */
export function parseDistrictUnits(value: string | undefined): string[] {
  if (value === undefined || value === '') return [...DEFAULT_DISTRICT_UNITS];
  const units = value
    .split(',')
    .map((unit) => unit.trim())
    .filter(Boolean);
  if (units.length === 0) throw new DistrictUnitsError('NQPF_DISTRICT_UNITS must name at least one unit');
  const repeated = [...new Set(units.filter((unit, i) => units.indexOf(unit) !== i))];
  if (repeated.length > 0)
    throw new DistrictUnitsError(`NQPF_DISTRICT_UNITS names ${repeated.join(', ')} more than once`);
  return units;
}

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
