import { InvalidInputError } from '@nqpf/domain';
import { isLocalDate } from '@nqpf/rules';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A calendar date in Asia/Shanghai, 'YYYY-MM-DD'. */
export function checkDate(field: string, value: unknown): string {
  if (!isLocalDate(value))
    throw new InvalidInputError(field, `must be a calendar date YYYY-MM-DD, got '${String(value)}'`);
  return value;
}

/** A written text (a reason, a description): present and not blank. */
export function checkText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(field, 'must be a non-empty text');
  return value.trim();
}

/** Evidence is referenced by the SHA-256 of its bytes, as 64 lowercase hex digits (A8 materials convention). */
export function checkEvidenceHash(field: string, value: unknown): string {
  if (typeof value !== 'string' || !SHA256_HEX.test(value))
    throw new InvalidInputError(field, 'must be a SHA-256 hash: 64 lowercase hex digits');
  return value;
}

export function checkSupportYear(field: string, value: unknown, supportYears: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > supportYears)
    throw new InvalidInputError(field, `must be a support year from 1 to ${supportYears} (A12.1)`);
  return value;
}
