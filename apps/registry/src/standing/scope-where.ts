import type { Actor } from '@nqpf/contracts';
import { scopeFilter, scopeToSql } from '@nqpf/auth';

/** The actor's per-object scope (libs/auth) as a WHERE condition on a read-model table. */
export function scopeWhere(actor: Actor, firstParam: number): { where: string; params: string[] } {
  return scopeToSql(scopeFilter(actor), { district: 'district', centerId: 'center_id' }, firstParam);
}
