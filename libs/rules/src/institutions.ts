import { COUNTED_INSTITUTION_KINDS, InstitutionKind } from './catalogue';
import { RULESET_VERSION, rulesetBefore, RulesetVersion } from './version';

export interface InstitutionCount {
  /** Distinct institutions of a counted kind. */
  distinct: number;
  /** Entries that repeat an institution already listed (same credit code or same normalised name). */
  duplicates: string[];
  /** Entries of a kind that does not count (A6.3 names universities, institutes, enterprises, S&T service orgs). */
  notCounted: string[];
}

type Entry = { name: string; kind: InstitutionKind; creditCode?: string };

/** NFKC folds full-width letters and brackets; spaces and case never distinguish two institutions. */
export function normaliseInstitutionName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/**
 * A6.3: entries of a counted kind, grouped into institutions. `ruleset` is for replay only: a decision
 * recorded under an older rule-set is re-run with its code.
 */
export function countInstitutions(
  list: Entry[],
  ruleset: RulesetVersion = RULESET_VERSION,
): InstitutionCount {
  const counted = list.filter((i) => COUNTED_INSTITUTION_KINDS.includes(i.kind));
  const notCounted = list.filter((i) => !COUNTED_INSTITUTION_KINDS.includes(i.kind)).map((i) => i.name);
  const { distinct, duplicates } = rulesetBefore(ruleset, 'rules-2026.3')
    ? comparedWithKept(counted)
    : linkedGroups(counted);
  return { distinct, duplicates, notCounted };
}

/**
 * Two entries are one institution when their credit codes match or their normalised names match, and
 * so is every entry linked to them through such matches (union-find): 吉林大学 without a code, 吉林大学
 * with a code and 吉大 with the same code are one. The first entry of each group counts; the rest are
 * duplicates, in list order.
 */
function linkedGroups(entries: Entry[]): { distinct: number; duplicates: string[] } {
  const parent = entries.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const firstByKey = new Map<string, number>();
  entries.forEach((entry, i) => {
    const keys = [`name:${normaliseInstitutionName(entry.name)}`];
    if (entry.creditCode) keys.push(`code:${entry.creditCode}`);
    for (const key of keys) {
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, i);
      else {
        const [a, b] = [root(first), root(i)];
        parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const duplicates = entries.filter((_, i) => root(i) !== i).map((e) => e.name);
  return { distinct: entries.length - duplicates.length, duplicates };
}

/**
 * rules-2026.1 and 2026.2: each entry compared only with those already kept (by code where both have
 * one, else by name) — not transitive. Kept only to replay decisions recorded under them.
 */
function comparedWithKept(entries: Entry[]): { distinct: number; duplicates: string[] } {
  const kept: Entry[] = [];
  const duplicates: string[] = [];
  for (const inst of entries) {
    const name = normaliseInstitutionName(inst.name);
    const same = kept.some((k) =>
      k.creditCode && inst.creditCode
        ? k.creditCode === inst.creditCode
        : normaliseInstitutionName(k.name) === name,
    );
    if (same) duplicates.push(inst.name);
    else kept.push(inst);
  }
  return { distinct: kept.length, duplicates };
}
