import { InvalidInputError, quotedInput } from '@nqpf/domain';
import { isBlankText, isLocalDate } from '@nqpf/rules';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A calendar date in Asia/Shanghai, 'YYYY-MM-DD'. */
export function checkDate(field: string, value: unknown): string {
  if (!isLocalDate(value))
    throw new InvalidInputError(field, `must be a calendar date YYYY-MM-DD, got '${quotedInput(value)}'`);
  return value;
}

/**
 * A written text (a reason, an id): present, not blank, and of a bounded length — it is kept for good in a
 * hash-chained event on the account's stream, which every later command on the account reads.
 */
export function checkText(field: string, value: unknown, maxLength = MAX_TEXT): string {
  // Format characters alone (U+202E, U+200B: nothing to read) are no text, as libs/domain's requireText.
  if (typeof value !== 'string' || isBlankText(value))
    throw new InvalidInputError(field, 'must be a non-empty text');
  if (value.length > maxLength) throw new InvalidInputError(field, `must be at most ${maxLength} characters`);
  return value.trim();
}

/** A text that may be left out (a description, a voucher reference): trimmed, '' when absent. */
export function checkOptionalText(field: string, value: unknown, maxLength = MAX_TEXT): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new InvalidInputError(field, 'must be a text');
  if (value.length > maxLength) throw new InvalidInputError(field, `must be at most ${maxLength} characters`);
  return value.trim();
}

/** Reasons and descriptions, as in the other services. */
const MAX_TEXT = 4000;
/** Ids and short codes (entry ids, voucher references, districts). */
export const MAX_ID = 200;

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
