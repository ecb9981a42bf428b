import { canonicalJson } from '@nqpf/contracts';
import { creditCodeCheckChar, isValidCreditCode } from '../credit-code';
import { inputErrorField } from '../input-error-field.spec-helper';
import { formatYuan, readFen } from './fen';
import { applyFraction, formatPercent, formatPercentBelow, fractionAtLeast } from './fraction';
import { formatHundredths, readHundredths } from './hundredths';
import {
  addYears,
  daysBetween,
  isIsoInstant,
  isLocalDate,
  shanghaiDateOf,
  shanghaiToday,
  show,
} from './local-date';
import { readOptionalString, readString } from './read';

describe('texts read from input', () => {
  it('takes a text that shows something, trimmed, and refuses one of spaces or invisible characters', () => {
    expect(readString(' 长春理工大学\u200D ', 'institutions[0].name', 'A6.3')).toBe('长春理工大学\u200D');
    for (const blank of [' ', '\u200B', '\u202E\u200B', ' \uFEFF ']) {
      expect(inputErrorField(() => readString(blank, 'institutions[0].name', 'A6.3'))).toBe(
        'institutions[0].name',
      );
      expect(inputErrorField(() => readOptionalString(blank, 'reason'))).toBe('reason');
    }
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it.each([[1n], [NaN], [() => 1]])('refuses %p, which has no stable JSON form', (value) => {
    expect(() => canonicalJson({ x: value })).toThrow(/\$\.x/);
  });
});

describe('exact numbers', () => {
  it.each([
    ['5000', 500000],
    ['5000.1', 500010],
    [4999.99, 499999],
    [0, 0],
  ])('reads %p as %i hundredths', (value, hundredths) => {
    expect(readHundredths(value, 'area')).toBe(hundredths);
  });

  it.each([['1e3'], ['-1'], ['1.234'], [Infinity], [null]])('refuses %p', (value) => {
    expect(inputErrorField(() => readHundredths(value, 'area'))).toBe('area');
  });

  it('formats hundredths and yuan', () => {
    expect(formatHundredths(500001)).toBe('5000.01');
    expect(formatYuan(300000000n)).toBe('3,000,000.00 CNY');
    expect(formatYuan(5n)).toBe('0.05 CNY');
  });

  it('compares and applies fractions in integers, rounding down', () => {
    expect(fractionAtLeast({ num: 5, den: 10 }, { num: 1, den: 2 })).toBe(true);
    expect(fractionAtLeast({ num: 4, den: 9 }, { num: 1, den: 2 })).toBe(false);
    expect(applyFraction(999n, { num: 1, den: 2 })).toBe(499n);
    expect(formatPercent({ num: 2, den: 3 })).toBe('66.7%');
    expect(formatPercent({ num: 0, den: 0 })).toBe('n/a');
    expect(formatPercent({ num: 1, den: 16 })).toBe('6.3%');
  });

  it('shows a share below a threshold cut, with the decimals that tell them apart', () => {
    const half = { num: 1, den: 2 };
    expect(formatPercentBelow({ num: 4, den: 9 }, half)).toBe('44.4%');
    expect(formatPercentBelow({ num: 500, den: 1001 }, half)).toBe('49.9%');
    expect(formatPercentBelow({ num: 3332, den: 10000 }, { num: 1, den: 3 })).toBe('33.32%');
    // At most four decimals, even when they cannot tell the two apart.
    expect(formatPercentBelow({ num: 333333, den: 1000000 }, { num: 1, den: 3 })).toBe('33.3333%');
  });

  it.each([
    [5n, 5n],
    [7, 7n],
    [' 12 ', 12n],
  ])('reads fen %p', (value, fen) => {
    expect(readFen(value, 'amount')).toBe(fen);
  });

  it.each([[-1n], [1.5], ['1.00'], [Number.MAX_SAFE_INTEGER + 2]])('refuses fen %p', (value) => {
    expect(inputErrorField(() => readFen(value, 'amount'))).toBe('amount');
  });
});

describe('instants', () => {
  it('takes an ISO 8601 instant with its zone, seconds and fractions optional', () => {
    for (const ok of [
      '2026-03-10T00:00:00+08:00',
      '2026-03-10T23:59Z',
      '2028-02-29T12:00:00.123456789-05:30',
    ])
      expect(isIsoInstant(ok)).toBe(true);
  });

  it('refuses a moment that does not exist instead of rolling it into another day', () => {
    for (const bad of [
      '2026-02-30T00:00:00+08:00',
      '2026-04-31T12:00+08:00',
      '2027-02-29T00:00:00Z',
      '2026-03-10T24:00:00+08:00',
      '2026-03-10T12:60:00+08:00',
      '2026-03-10T12:00:60+08:00',
      '2026-03-10T12:00:00+15:00',
      '2026-03-10T12:00:00',
      '2026-03-10',
      20260310,
    ])
      expect({ bad, ok: isIsoInstant(bad) }).toEqual({ bad, ok: false });
    expect(() => shanghaiDateOf('2026-02-30T00:00:00+08:00', 'at')).toThrow('at');
  });
});

describe('dates', () => {
  it('validates calendar dates', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate(20260101)).toBe(false);
  });

  it('adds years, keeping month ends', () => {
    expect(addYears('2026-03-10', 2)).toBe('2028-03-10');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
  });

  it('counts calendar days between dates, across month, leap day and year ends', () => {
    expect(daysBetween('2026-03-10', '2026-03-10')).toBe(0);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2027-01-01', '2026-12-25')).toBe(-7);
  });

  it('takes the Asia/Shanghai date of an instant', () => {
    expect(shanghaiDateOf('2026-01-30T16:00:00Z', 'at')).toBe('2026-01-31');
    expect(shanghaiDateOf('2026-01-30T23:59:59.999+08:00', 'at')).toBe('2026-01-30');
    expect(inputErrorField(() => shanghaiDateOf('2026-01-30T25:00:00Z', 'at'))).toBe('at');
    expect(shanghaiToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(shanghaiToday(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
  });

  it('turns the Shanghai day at 16:00Z, whatever offset the instant is written in (+14:00 to -12:00)', () => {
    for (const [instant, date] of [
      ['2027-01-01T05:59:59.999+14:00', '2026-12-31'],
      ['2027-01-01T06:00:00+14:00', '2027-01-01'],
      ['2026-12-31T03:59:59.999-12:00', '2026-12-31'],
      ['2026-12-31T04:00:00-12:00', '2027-01-01'],
    ] as const) {
      expect({ instant, date: shanghaiDateOf(instant, 'at') }).toEqual({ instant, date });
      expect({ instant, date: shanghaiToday(new Date(instant)) }).toEqual({ instant, date });
    }
  });

  it('shows values briefly in messages', () => {
    expect(show(undefined)).toBe('nothing');
    expect(show(3n)).toBe('3n');
    expect(show(() => 1)).toContain('=>');
    expect(show('x'.repeat(100))).toHaveLength(60);
  });
});

describe('unified social credit code', () => {
  it.each([['9144030071526726XG'], ['91330100716105852F'], ['91110000802100433B'], [' 91220101ma14abcd0y ']])(
    'accepts %s',
    (code) => {
      expect(isValidCreditCode(code)).toBe(true);
    },
  );

  it.each([['9144030071526726XH'], ['91440300715267'], ['9144030071526726XI']])('refuses %s', (code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('computes the check character', () => {
    expect(creditCodeCheckChar('91220101MA14ABCD0')).toBe('Y');
  });
});
