import { normaliseCreditCode, normaliseInstitutionName } from '@nqpf/rules';

export interface DeclaredInstitution {
  name: string;
  creditCode?: string;
}

/**
 * Same institution: equal credit codes where both have one, else equal names after normalisation
 * (full-width forms, spaces, case) — the same test A6.3 uses to count distinct institutions.
 */
export function sameInstitution(a: DeclaredInstitution, b: DeclaredInstitution): boolean {
  if (a.creditCode && b.creditCode)
    return normaliseCreditCode(a.creditCode) === normaliseCreditCode(b.creditCode);
  return normaliseInstitutionName(a.name) === normaliseInstitutionName(b.name);
}
