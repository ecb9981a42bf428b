import { RuleInputError } from '../errors';
import { isBlankText } from './blank-text';
import { show } from './local-date';

/** Readers for untrusted input (JSON from a file, a request body): each failure names its field. */
export function readObject(value: unknown, field: string, ruleId?: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RuleInputError(field, `expected an object, got ${show(value)}`, ruleId);
  return value as Record<string, unknown>;
}

export function readArray(value: unknown, field: string, ruleId?: string): unknown[] {
  if (!Array.isArray(value)) throw new RuleInputError(field, `expected a list, got ${show(value)}`, ruleId);
  return value;
}

/** A text that shows something (isBlankText: spaces or invisible characters alone are none), trimmed. */
export function readString(value: unknown, field: string, ruleId?: string): string {
  if (typeof value !== 'string' || isBlankText(value))
    throw new RuleInputError(field, `expected a non-empty text, got ${show(value)}`, ruleId);
  return value.trim();
}

export function readOptionalString(value: unknown, field: string, ruleId?: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return readString(value, field, ruleId);
}

export function readCount(value: unknown, field: string, ruleId?: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new RuleInputError(field, `expected a whole number >= 0, got ${show(value)}`, ruleId);
  return value;
}

export function readBoolean(value: unknown, field: string, ruleId?: string): boolean {
  if (typeof value !== 'boolean')
    throw new RuleInputError(field, `expected true or false, got ${show(value)}`, ruleId);
  return value;
}

export function readOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  ruleId?: string,
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new RuleInputError(field, `expected one of ${allowed.join(', ')}, got ${show(value)}`, ruleId);
  return value as T;
}
