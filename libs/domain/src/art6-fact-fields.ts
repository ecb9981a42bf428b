import type { CooperationLevelV1, InstitutionKindV1 } from '@nqpf/contracts';
import {
  COOPERATION_LEVELS,
  creditCodeCheckChar,
  INSTITUTION_KINDS,
  misspeltCode,
  normaliseCreditCode,
} from '@nqpf/rules';
import { InvalidInputError } from './errors';
import { quotedInput, requireArray, requireName, requireObject, requireOneOf, requireText } from './input';

/**
 * The art. 6 facts field by field, as an application states them (intake, A6/A8) and a major change reports
 * them (reporting, A16): one set of rules, so what intake refuses a change cannot record. Each failure is a
 * 400 naming the field it is given.
 */

/** Names of institutions, partners and the operating entity. */
export const FACT_NAME_MAX = 200;
/** A service or function code, or a function tag. */
export const FACT_TERM_MAX = 100;

/** Unified social credit code (统一社会信用代码, GB 32100-2015): normalised (full-width, spaces, case) and checked. */
export function requireCreditCode(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidInputError(field, 'must be a unified social credit code');
  const code = normaliseCreditCode(value);
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code))
    throw new InvalidInputError(field, `must be 18 characters of GB 32100-2015, got '${quotedInput(value)}'`);
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17])
    throw new InvalidInputError(field, `check character of '${quotedInput(value)}' is wrong`);
  return code;
}

/** A6.3/A6.4: the name of an institution, a partner or the operating entity. */
export function requireFactName(field: string, value: unknown): string {
  return requireName(field, value, FACT_NAME_MAX);
}

/** A6.3: an institution gathered in the center; its credit code is optional ('' or null: none). */
export function readInstitution(
  field: string,
  raw: unknown,
): { name: string; kind: InstitutionKindV1; creditCode?: string } {
  const inst = requireObject(field, raw, ['name', 'kind', 'creditCode']);
  const out: { name: string; kind: InstitutionKindV1; creditCode?: string } = {
    name: requireFactName(`${field}.name`, inst.name),
    kind: requireOneOf(`${field}.kind`, inst.kind, INSTITUTION_KINDS),
  };
  if (inst.creditCode !== undefined && inst.creditCode !== null && inst.creditCode !== '')
    out.creditCode = requireCreditCode(`${field}.creditCode`, inst.creditCode);
  return out;
}

/** A6.3: a strategic cooperation, its partner and the partner's level. */
export function readStrategicCooperation(
  field: string,
  raw: unknown,
): { partner: string; level: CooperationLevelV1 } {
  const c = requireObject(field, raw, ['partner', 'level']);
  return {
    partner: requireFactName(`${field}.partner`, c.partner),
    level: requireOneOf(`${field}.level`, c.level, COOPERATION_LEVELS),
  };
}

/** Codes or words, each once; with a `table` of codes (A6.2), none a misspelt code. */
export function readFactTerms(field: string, value: unknown, table?: Record<string, string>): string[] {
  const list = requireArray(field, value).map((item, i) =>
    requireText(`${field}[${i}]`, item, FACT_TERM_MAX),
  );
  const misspelt = table && misspeltCode(list, table);
  if (misspelt)
    throw new InvalidInputError(
      `${field}[${misspelt.at}]`,
      `'${list[misspelt.at]}' is not a code of A6.2: did you mean '${misspelt.meant}'?`,
    );
  return [...new Set(list)];
}
