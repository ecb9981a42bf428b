import { InvalidInputError } from '@nqpf/domain';
import { MAX_LEDGER_FEN } from '@nqpf/rules';

/** Upper bound that still fits a PostgreSQL bigint with room to sum: 10^18 − 1 fen (policies keep to it). */
const MAX_FEN = MAX_LEDGER_FEN;
const FEN_TEXT = /^\d+$/;
const YUAN_TEXT = /^(\d+)(?:\.(\d{1,2}))?$/;

/** An exact ratio (a policy rate or grade ratio), applied by rounding down to the fen. */
export interface Ratio {
  num: number;
  den: number;
}

/**
 * An amount of CNY in integer fen (分), never negative, never a float. Parses what the API accepts
 * — fen as a digit string or a safe integer, yuan as a digit string with at most two decimals
 * (or a whole number) — exactly, and refuses everything else with the field it came from.
 */
export class Money {
  static readonly ZERO = new Money(0n);

  private constructor(readonly fen: bigint) {}

  static ofFen(fen: bigint): Money {
    if (fen < 0n) throw new RangeError(`an amount of money cannot be negative: ${fen} fen`);
    if (fen > MAX_FEN) throw new RangeError(`an amount of money cannot exceed ${MAX_FEN} fen`);
    return new Money(fen);
  }

  /** Fen: '12345', 12345 or 12345n. */
  static parseFen(value: unknown, field: string): Money {
    if (typeof value === 'bigint') return Money.checked(value, field);
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value))
        throw new InvalidInputError(field, `fen must be a whole number, got ${value}`);
      return Money.checked(BigInt(value), field);
    }
    if (typeof value === 'string') {
      if (value.startsWith('-')) throw new InvalidInputError(field, `must not be negative, got '${value}'`);
      if (!FEN_TEXT.test(value))
        throw new InvalidInputError(field, `fen must be whole digits like '12345', got '${value}'`);
      return Money.checked(BigInt(value), field);
    }
    throw new InvalidInputError(field, `expected an amount in fen (digits or a whole number)`);
  }

  /** Yuan: '123.45', '123.4', '123' or a whole number 123; never a fractional JSON number. */
  static parseYuan(value: unknown, field: string): Money {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value))
        throw new InvalidInputError(
          field,
          `yuan with decimals must be written as text like '123.45' (floating point is inexact), got ${value}`,
        );
      return Money.checked(BigInt(value) * 100n, field);
    }
    if (typeof value !== 'string')
      throw new InvalidInputError(field, `expected an amount in yuan like '123.45'`);
    if (value.startsWith('-')) throw new InvalidInputError(field, `must not be negative, got '${value}'`);
    const match = YUAN_TEXT.exec(value);
    if (!match)
      throw new InvalidInputError(
        field,
        `yuan must be digits with at most two decimals like '123.45', got '${value}'`,
      );
    const fraction = (match[2] ?? '').padEnd(2, '0');
    return Money.checked(BigInt(match[1]!) * 100n + BigInt(fraction), field);
  }

  private static checked(fen: bigint, field: string): Money {
    if (fen < 0n) throw new InvalidInputError(field, `must not be negative, got ${fen} fen`);
    if (fen > MAX_FEN) throw new InvalidInputError(field, `must not exceed ${MAX_FEN} fen`);
    return new Money(fen);
  }

  plus(other: Money): Money {
    return Money.ofFen(this.fen + other.fen);
  }

  /** Throws when the result would be negative: callers check the rule first and say which. */
  minus(other: Money): Money {
    return Money.ofFen(this.fen - other.fen);
  }

  /** floor(amount × num / den): a computed amount is rounded down to the fen (A12). */
  times(ratio: Ratio): Money {
    if (
      !Number.isSafeInteger(ratio.num) ||
      !Number.isSafeInteger(ratio.den) ||
      ratio.num < 0 ||
      ratio.den <= 0
    )
      throw new RangeError(`not a ratio: ${ratio.num}/${ratio.den}`);
    return Money.ofFen((this.fen * BigInt(ratio.num)) / BigInt(ratio.den));
  }

  min(other: Money): Money {
    return this.fen <= other.fen ? this : other;
  }

  isZero(): boolean {
    return this.fen === 0n;
  }

  equals(other: Money): boolean {
    return this.fen === other.fen;
  }

  isAtMost(other: Money): boolean {
    return this.fen <= other.fen;
  }

  isLessThan(other: Money): boolean {
    return this.fen < other.fen;
  }

  /** The wire form: a decimal string of fen ('12345'). */
  toFenText(): string {
    return this.fen.toString();
  }

  /** For people: '123.45'. */
  toYuanText(): string {
    return `${this.fen / 100n}.${(this.fen % 100n).toString().padStart(2, '0')}`;
  }

  toJSON(): string {
    return this.toFenText();
  }

  toString(): string {
    return `${this.toYuanText()} CNY`;
  }
}
