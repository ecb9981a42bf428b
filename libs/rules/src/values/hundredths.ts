import { RuleInputError } from '../errors';
import { show } from './local-date';

/**
 * A non-negative decimal with at most two places (m², scores), held as an integer count of hundredths
 * so comparisons are exact. Accepts a decimal string ('4999.99') or a number (4999.99).
 */
export function readHundredths(value: unknown, field: string, ruleId?: string): number {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const m = typeof text === 'string' ? /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim()) : null;
  if (!m)
    throw new RuleInputError(
      field,
      `expected a number >= 0 with at most 2 decimals, got ${show(value)}`,
      ruleId,
    );
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** '5000.00' for 500000. */
export function formatHundredths(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
