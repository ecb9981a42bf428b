import { InvalidInputError } from '@nqpf/domain';
import { isLocalDate, LocalDate, RuleInputError } from '@nqpf/rules';

export function assertDate(field: string, value: unknown): LocalDate {
  if (!isLocalDate(value))
    throw new InvalidInputError(field, `must be a calendar date YYYY-MM-DD, got '${String(value)}'`);
  return value;
}

export function assertText(field: string, value: unknown, maxLength = 4000): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(field, 'must be a non-empty text');
  if (value.length > maxLength) throw new InvalidInputError(field, `must be at most ${maxLength} characters`);
  return value.trim();
}

export function assertCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidInputError(field, `must be a whole number >= 0, got '${String(value)}'`);
  return value;
}

export function assertSha256(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/i.test(value))
    throw new InvalidInputError(field, 'must be a SHA-256 hash: 64 hexadecimal characters');
  return value.toLowerCase();
}

export function assertOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new InvalidInputError(field, `must be one of ${allowed.join(', ')}, got '${String(value)}'`);
  return value as T;
}

/**
 * Runs a libs/rules decision; its bad-input error (naming field and rule) becomes the domain's 400.
 * `renameField` maps the rule's field name to the command's; `note` is added to the message.
 */
export function underRules<T>(run: () => T, renameField: (field: string) => string = (f) => f, note = ''): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RuleInputError) {
      const rule = error.ruleId ? `${error.ruleId}: ` : '';
      throw new InvalidInputError(renameField(error.field), `${rule}${error.problem}${note}`);
    }
    throw error;
  }
}
