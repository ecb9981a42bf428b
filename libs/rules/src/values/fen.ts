import { RuleInputError } from '../errors';
import { show } from './local-date';

/**
 * Money in integer fen of CNY. In code a bigint; in decisions and JSON a decimal string of fen
 * ('300000000'), because JSON numbers cannot hold every bigint.
 */
export type FenText = string;

export function readFen(value: unknown, field: string, ruleId?: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) return BigInt(value.trim());
  throw new RuleInputError(field, `expected an amount in whole fen >= 0, got ${show(value)}`, ruleId);
}

export function fenText(fen: bigint): FenText {
  return fen.toString();
}

/** '3,000,000.00 CNY' for people. */
export function formatYuan(fen: bigint): string {
  const yuan = (fen / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${yuan}.${(fen % 100n).toString().padStart(2, '0')} CNY`;
}
