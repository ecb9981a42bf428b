import { InvalidInputError } from '@nqpf/domain';

export function requireText(field: string, value: unknown, maxLength = 2000): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(field, 'must be a non-empty text');
  if (value.length > maxLength) throw new InvalidInputError(field, `must be at most ${maxLength} characters`);
  return value.trim();
}

export function requireCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidInputError(field, `must be a whole number >= 0, got ${String(value)}`);
  return value;
}

export function requireArray(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'must be a list');
  return value;
}

export function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInputError(field, 'must be an object');
  return value as Record<string, unknown>;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T))
    throw new InvalidInputError(field, `must be one of ${allowed.join(', ')}, got '${String(value)}'`);
  return value as T;
}
