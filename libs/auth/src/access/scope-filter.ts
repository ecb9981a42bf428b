import type { Actor } from '@nqpf/contracts';
import { AccessTarget } from './access-target';

/**
 * What an actor may list, search or export, for repositories to turn into WHERE clauses. A structured filter
 * matches rows having all its fields; `expertId` means "assigned to this expert and not conflicted".
 */
export type ScopeFilter = 'all' | 'none' | { district?: string; centerId?: string; expertId?: string };

export function scopeFilter(actor: Actor): ScopeFilter {
  switch (actor.role) {
    case 'system':
    case 'city_bureau':
    case 'finance_officer':
    case 'auditor':
      return 'all';
    case 'district_office':
      return actor.district ? { district: actor.district } : 'none';
    case 'operator':
      return actor.centerId ? { centerId: actor.centerId } : 'none';
    case 'expert':
      return { expertId: actor.id };
    default:
      return 'none';
  }
}

/** The filter applied to one row, for in-memory repositories and tests. */
export function matchesScope(filter: ScopeFilter, row: AccessTarget): boolean {
  if (filter === 'all') return true;
  if (filter === 'none') return false;
  if (filter.district === undefined && filter.centerId === undefined && filter.expertId === undefined)
    return false;
  if (filter.district !== undefined && row.district !== filter.district) return false;
  if (filter.centerId !== undefined && row.centerId !== filter.centerId) return false;
  if (filter.expertId !== undefined) {
    if (!row.assignedExpertIds?.includes(filter.expertId)) return false;
    if (row.conflictedExpertIds?.includes(filter.expertId)) return false;
  }
  return true;
}

/** Column names (trusted identifiers from code) of the scope fields; expert columns are text[]. */
export interface ScopeColumns {
  district: string;
  centerId: string;
  assignedExperts?: string;
  conflictedExperts?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** The filter as a parameterised PostgreSQL condition, numbering parameters from `firstParam`. */
export function scopeToSql(
  filter: ScopeFilter,
  columns: ScopeColumns,
  firstParam = 1,
): { where: string; params: string[] } {
  for (const column of Object.values(columns)) {
    if (!IDENTIFIER.test(column)) throw new Error(`scopeToSql: "${column}" is not a plain column name`);
  }
  if (filter === 'all') return { where: 'TRUE', params: [] };
  if (filter === 'none') return { where: 'FALSE', params: [] };
  const parts: string[] = [];
  const params: string[] = [];
  const param = (value: string): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (filter.district !== undefined) parts.push(`${columns.district} = ${param(filter.district)}`);
  if (filter.centerId !== undefined) parts.push(`${columns.centerId} = ${param(filter.centerId)}`);
  if (filter.expertId !== undefined) {
    if (!columns.assignedExperts || !columns.conflictedExperts) {
      throw new Error('scopeToSql: an expert filter needs assignedExperts and conflictedExperts columns');
    }
    const p = param(filter.expertId);
    // Containment, not "= ANY": a GIN index on the assigned column can serve it (the rows an expert is on
    // are few among every candidacy filed). The same rows: neither matches a null column or element.
    parts.push(
      `${columns.assignedExperts} @> ARRAY[${p}]::text[] AND NOT (${p} = ANY(COALESCE(${columns.conflictedExperts}, '{}')))`,
    );
  }
  return { where: parts.length > 0 ? parts.map((p) => `(${p})`).join(' AND ') : 'FALSE', params };
}
