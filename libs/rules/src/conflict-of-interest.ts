import { normaliseCreditCode } from './credit-code';
import { normaliseInstitutionName } from './institutions';

export interface Party {
  name: string;
  creditCode?: string;
}

/**
 * A9.1: the parties of an application (operator, institutions) that an expert declared a conflict with,
 * matched by credit code where both have one, else by normalised name. Empty means the expert may review.
 */
export function conflictsOfInterest(declared: Party[], applicationParties: Party[]): string[] {
  const same = (a: Party, b: Party) =>
    a.creditCode && b.creditCode
      ? normaliseCreditCode(a.creditCode) === normaliseCreditCode(b.creditCode)
      : normaliseInstitutionName(a.name) === normaliseInstitutionName(b.name);
  return applicationParties.filter((p) => declared.some((d) => same(d, p))).map((p) => p.name);
}
