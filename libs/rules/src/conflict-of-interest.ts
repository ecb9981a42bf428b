import { normaliseCreditCode } from './credit-code';
import { normaliseInstitutionName } from './institutions';

export interface Party {
  name: string;
  creditCode?: string;
}

/**
 * One institution, as A6.3 counts them (institutions.ts): the same credit code or the same normalised name
 * (full-width forms, spaces, case). 吉林大学 with one code and 吉林大学 with another are the same.
 */
export function sameParty(a: Party, b: Party): boolean {
  if (a.creditCode && b.creditCode && normaliseCreditCode(a.creditCode) === normaliseCreditCode(b.creditCode))
    return true;
  return normaliseInstitutionName(a.name) === normaliseInstitutionName(b.name);
}

/**
 * A9.1: the parties of an application (operator, institutions) that an expert declared a conflict with
 * (sameParty). Empty means the expert may review.
 */
export function conflictsOfInterest(declared: Party[], applicationParties: Party[]): string[] {
  return applicationParties.filter((p) => declared.some((d) => sameParty(d, p))).map((p) => p.name);
}
