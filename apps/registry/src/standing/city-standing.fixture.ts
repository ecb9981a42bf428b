import type { Actor, GradeV1 } from '@nqpf/contracts';
import type { StandingFilter } from './standing.query';
import { emptyStanding, type Awaiting, type StandingRow } from './standing.row';

export const CITY_DISTRICTS = ['南关区', '宽城区', '朝阳区', '二道区', '绿园区', '双阳区'];
const GRADES: GradeV1[] = ['优秀', '良好', '良好', '合格', '合格', '合格', '不合格'];
const APPLYING: Awaiting[][] = [
  ['district:endorsement'],
  ['bureau:acceptance'],
  ['bureau:listing'],
  ['district:signature', 'bureau:signature'],
  [],
];

/** A deterministic stream of numbers in [0, 1) (mulberry32): the same city on every run. */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` centers in the shapes the city-wide filters meet: 65 % recognised, 10 % revoked, 20 % rejected,
 * 5 % applying; recognised 2026–2034, graded for most years since (gaps, 2034 only a third through), a
 * tenth of the recognised owing reports; one row in fifty written before `awaiting` was kept.
 */
export function cityStanding(count: number): StandingRow[] {
  const next = numbers(20_000);
  return Array.from({ length: count }, (_, i) => {
    const id = `center-${String(i).padStart(6, '0')}`;
    const [rs, rp, ry] = [next(), next(), 2026 + Math.floor(next() * 9)];
    const status = rs < 0.65 ? 'recognised' : rs < 0.75 ? 'revoked' : rs < 0.95 ? 'rejected' : 'applying';
    const recognised = status === 'recognised' || status === 'revoked';
    const grades: Record<string, GradeV1> = {};
    if (recognised)
      for (let year = ry; year <= 2034; year++)
        if (next() < (year === 2034 ? 0.3 : 0.95)) grades[year] = GRADES[Math.floor(next() * GRADES.length)]!;
    const years = Object.keys(grades).sort();
    const awaiting: Awaiting[] =
      status === 'applying'
        ? APPLYING[Math.floor(rp * APPLYING.length)]!
        : status === 'recognised' && rp > 0.9
          ? ['operator:reports']
          : status === 'recognised' && rp < 0.05
            ? ['operator:operation-start']
            : [];
    const row: StandingRow = {
      ...emptyStanding(id),
      district: CITY_DISTRICTS[Math.floor(Math.pow(next(), 1.4) * CITY_DISTRICTS.length)]!,
      status,
      phase: status === 'recognised' ? 'operating' : status === 'applying' ? 'submitted' : status,
      recognizedOn: recognised ? `${ry}-${String(1 + Math.floor(rp * 12)).padStart(2, '0')}-15` : null,
      revokedOn: status === 'revoked' ? `${ry + 1}-06-30` : null,
      grades,
      latestGrade: years.length > 0 ? grades[years[years.length - 1]!]! : null,
      awaiting,
    };
    if (i % 50 === 7) delete row.awaiting;
    return row;
  });
}

/**
 * Whether the row is one the actor finds with the filter, from the document (StandingFilter's meaning),
 * for the rows a statement must return. Scope by district only: the actors the specs use.
 */
export function matchesFilter(row: StandingRow, actor: Actor, filter: StandingFilter): boolean {
  const { awaiting, unassessed, year, grade } = filter;
  return (
    (actor.role !== 'district_office' || row.district === actor.district) &&
    (awaiting === undefined || (row.awaiting ?? []).some((party) => party === awaiting)) &&
    (unassessed === undefined ||
      (row.recognizedOn !== null &&
        row.recognizedOn <= `${unassessed}-12-31` &&
        row.revokedOn === null &&
        !(String(unassessed) in row.grades))) &&
    (year === undefined || (grade === undefined ? String(year) in row.grades : row.grades[year] === grade)) &&
    (year !== undefined || grade === undefined || row.latestGrade === grade)
  );
}
