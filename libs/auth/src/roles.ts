import type { Role } from '@nqpf/contracts';

/** The roles a token may grant. `public` (no token) and `system` (automation) never come from a token. */
export const TOKEN_ROLES = [
  'city_bureau',
  'district_office',
  'operator',
  'expert',
  'finance_officer',
  'auditor',
] as const satisfies readonly Role[];
export type TokenRole = (typeof TOKEN_ROLES)[number];

export function isTokenRole(value: unknown): value is TokenRole {
  return typeof value === 'string' && (TOKEN_ROLES as readonly string[]).includes(value);
}
