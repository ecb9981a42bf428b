import { COUNTED_INSTITUTION_KINDS, InstitutionKind } from './catalogue';

export interface InstitutionCount {
  /** Distinct institutions of a counted kind. */
  distinct: number;
  /** Entries that repeat an institution already listed (same credit code, or same name where a code is missing). */
  duplicates: string[];
  /** Entries of a kind that does not count (A6.3 names universities, institutes, enterprises, S&T service orgs). */
  notCounted: string[];
}

/** NFKC folds full-width letters and brackets; spaces and case never distinguish two institutions. */
export function normaliseInstitutionName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export function countInstitutions(
  list: { name: string; kind: InstitutionKind; creditCode?: string }[],
): InstitutionCount {
  const counted = list.filter((i) => COUNTED_INSTITUTION_KINDS.includes(i.kind));
  const notCounted = list.filter((i) => !COUNTED_INSTITUTION_KINDS.includes(i.kind)).map((i) => i.name);
  const kept: { name: string; creditCode?: string }[] = [];
  const duplicates: string[] = [];
  for (const inst of counted) {
    const name = normaliseInstitutionName(inst.name);
    const same = kept.some((k) =>
      k.creditCode && inst.creditCode
        ? k.creditCode === inst.creditCode
        : normaliseInstitutionName(k.name) === name,
    );
    if (same) duplicates.push(inst.name);
    else kept.push(inst);
  }
  return { distinct: kept.length, duplicates, notCounted };
}
