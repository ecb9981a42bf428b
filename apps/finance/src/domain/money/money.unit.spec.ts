import fc from 'fast-check';
import { InvalidInputError } from '@nqpf/domain';
import { Money } from './money';

const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (e) {
    if (e instanceof InvalidInputError) return e.field;
    throw e;
  }
  return undefined;
};

describe('Money (integer fen)', () => {
  describe('parsing fen', () => {
    it.each([
      ['12345', 12345n],
      [12345, 12345n],
      [0, 0n],
      ['0', 0n],
      [12345n, 12345n],
      ['300000000', 300_000_000n],
    ])('reads %p as %p fen', (input, fen) => {
      expect(Money.parseFen(input, 'amountFen').fen).toBe(fen);
    });

    it.each([
      ['-1'],
      [-1],
      [12.5],
      ['12.5'],
      ['1e5'],
      [' 12'],
      [''],
      [null],
      [undefined],
      [true],
      [Number.NaN],
    ])('refuses %p and names the field', (input) => {
      expect(fieldOf(() => Money.parseFen(input, 'amountFen'))).toBe('amountFen');
    });

    it('refuses an amount beyond a bigint column', () => {
      expect(fieldOf(() => Money.parseFen('1000000000000000000', 'amountFen'))).toBe('amountFen');
      expect(Money.parseFen('999999999999999999', 'amountFen').fen).toBe(999_999_999_999_999_999n);
    });

    it('says a negative amount is negative', () => {
      expect(() => Money.parseFen('-5', 'amountFen')).toThrow('amountFen: must not be negative');
    });
  });

  describe('parsing yuan exactly', () => {
    it.each([
      ['123.45', 12345n],
      ['123.4', 12340n],
      ['123', 12300n],
      ['0.01', 1n],
      ['0.1', 10n],
      [123, 12300n],
      ['3000000.00', 300_000_000n],
      // 0.1 + 0.2 style traps: the text is read digit by digit, never through a double.
      ['0.29', 29n],
      ['1.15', 115n],
    ])('reads %p yuan as %p fen', (input, fen) => {
      expect(Money.parseYuan(input, 'amountYuan').fen).toBe(fen);
    });

    it.each([['1.234'], ['1.'], ['.5'], ['-1.00'], ['1,000.00'], ['1e3'], [12.34], [' 1.00'], [''], [{}]])(
      'refuses %p and names the field',
      (input) => {
        expect(fieldOf(() => Money.parseYuan(input, 'amountYuan'))).toBe('amountYuan');
      },
    );

    it('explains that fractional yuan must be text', () => {
      expect(() => Money.parseYuan(12.34, 'amountYuan')).toThrow(/must be written as text/);
    });
  });

  describe('arithmetic', () => {
    it('rounds a ratio down to the fen on an odd amount', () => {
      expect(Money.ofFen(12345n).times({ num: 1, den: 2 }).fen).toBe(6172n);
      expect(Money.ofFen(1n).times({ num: 3, den: 4 }).fen).toBe(0n);
      expect(Money.ofFen(100_000_001n).times({ num: 3, den: 4 }).fen).toBe(75_000_000n);
    });

    it('never goes below zero', () => {
      expect(() => Money.ofFen(5n).minus(Money.ofFen(6n))).toThrow(RangeError);
      expect(() => Money.ofFen(-1n)).toThrow(RangeError);
    });

    it('takes the smaller of two amounts', () => {
      expect(Money.ofFen(7n).min(Money.ofFen(3n)).fen).toBe(3n);
      expect(Money.ofFen(3n).min(Money.ofFen(7n)).fen).toBe(3n);
    });

    it('writes fen for the wire and yuan for people', () => {
      const m = Money.ofFen(1_234_505n);
      expect(m.toFenText()).toBe('1234505');
      expect(JSON.stringify({ m })).toBe('{"m":"1234505"}');
      expect(m.toYuanText()).toBe('12345.05');
      expect(Money.ZERO.toYuanText()).toBe('0.00');
    });
  });

  describe('properties', () => {
    const fen = fc.bigInt({ min: 0n, max: 10n ** 15n });

    it('yuan text read back gives the same fen', () => {
      fc.assert(fc.property(fen, (f) => Money.parseYuan(Money.ofFen(f).toYuanText(), 'x').fen === f));
    });

    it('fen text read back gives the same fen', () => {
      fc.assert(fc.property(fen, (f) => Money.parseFen(Money.ofFen(f).toFenText(), 'x').fen === f));
    });

    it('yuan with two decimals is exactly 100 × whole + decimals', () => {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 10n ** 12n }),
          fc.integer({ min: 0, max: 99 }),
          (whole, cents) => {
            const text = `${whole}.${String(cents).padStart(2, '0')}`;
            return Money.parseYuan(text, 'x').fen === whole * 100n + BigInt(cents);
          },
        ),
      );
    });

    it('a ratio never gives more than the amount, and at most one fen less than exact', () => {
      fc.assert(
        fc.property(
          fen,
          fc.integer({ min: 1, max: 1000 }),
          fc.integer({ min: 0, max: 1000 }),
          (f, den, n) => {
            const num = n % (den + 1);
            const r = Money.ofFen(f).times({ num, den }).fen;
            const exactTimesDen = f * BigInt(num);
            return r <= f && r * BigInt(den) <= exactTimesDen && (r + 1n) * BigInt(den) > exactTimesDen;
          },
        ),
      );
    });

    it('plus then minus returns the start', () => {
      fc.assert(
        fc.property(fen, fen, (a, b) => Money.ofFen(a).plus(Money.ofFen(b)).minus(Money.ofFen(b)).fen === a),
      );
    });
  });
});
