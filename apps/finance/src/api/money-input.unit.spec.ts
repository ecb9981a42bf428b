import { InvalidInputError } from '@nqpf/domain';
import { moneyFrom } from './money-input';

describe('moneyFrom (API amounts)', () => {
  it('reads fen as digits or a whole number', () => {
    expect(moneyFrom({ amountFen: '12345' }).fen).toBe(12345n);
    expect(moneyFrom({ amountFen: 12345 }).fen).toBe(12345n);
  });

  it('reads yuan with at most two decimals exactly', () => {
    expect(moneyFrom({ amountYuan: '100000.05' }).fen).toBe(10000005n);
    expect(moneyFrom({ approvedYuan: 40 }, 'approved').fen).toBe(4000n);
  });

  it('names the field of a fractional yuan number, three decimals or a negative amount', () => {
    expect(() => moneyFrom({ amountYuan: 1.5 })).toThrow(expect.objectContaining({ field: 'amountYuan' }));
    expect(() => moneyFrom({ amountYuan: '1.005' })).toThrow(InvalidInputError);
    expect(() => moneyFrom({ amountFen: '-1' }, 'amount', 'items[2].')).toThrow(
      expect.objectContaining({ field: 'items[2].amountFen' }),
    );
  });

  it('wants exactly one of fen or yuan', () => {
    expect(() => moneyFrom({})).toThrow(expect.objectContaining({ field: 'amountFen' }));
    expect(() => moneyFrom({ amountFen: '1', amountYuan: '1' })).toThrow(InvalidInputError);
  });
});
