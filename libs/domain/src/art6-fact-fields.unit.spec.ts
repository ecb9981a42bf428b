import { creditCodeCheckChar } from '@nqpf/rules';
import {
  readFactTerms,
  readInstitution,
  readStrategicCooperation,
  requireCreditCode,
  requireFactName,
} from './art6-fact-fields';
import { InvalidInputError } from './errors';

const errorOf = (run: () => unknown): InvalidInputError => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
};

describe("the art. 6 facts' fields (intake's rules, shared with A16 major changes)", () => {
  const stem = '91220101MA0000001';
  const code = stem + creditCodeCheckChar(stem);

  it('normalises a credit code (full-width, spaces, case) and checks GB 32100', () => {
    expect(requireCreditCode('c', ` ${code.toLowerCase()} `)).toBe(code);
    expect(requireCreditCode('c', code.replace('9', '９'))).toBe(code);
    expect(errorOf(() => requireCreditCode('c', 'not-a-code')).problem).toBe(
      "must be 18 characters of GB 32100-2015, got 'not-a-code'",
    );
    const wrong = stem + (code.endsWith('0') ? '1' : '0');
    expect(errorOf(() => requireCreditCode('c', wrong)).problem).toBe(
      `check character of '${wrong}' is wrong`,
    );
    expect(errorOf(() => requireCreditCode('c', 7)).problem).toBe('must be a unified social credit code');
  });

  it('quotes a 30 000-character code cut short', () => {
    expect(errorOf(() => requireCreditCode('c', 'y'.repeat(30_000))).problem).toBe(
      `must be 18 characters of GB 32100-2015, got '${'y'.repeat(80)}…'`,
    );
  });

  it('refuses a bidi override in a name', () => {
    expect(errorOf(() => requireFactName('n', '长春\u202E司公')).field).toBe('n');
  });

  it('bounds names at 200 characters and terms at 100', () => {
    expect(requireFactName('n', '长'.repeat(200))).toHaveLength(200);
    expect(errorOf(() => requireFactName('n', '长'.repeat(201))).problem).toBe(
      'must be at most 200 characters',
    );
    expect(errorOf(() => readFactTerms('tags', ['x'.repeat(101)])).field).toBe('tags[0]');
  });

  it('reads an institution and a cooperation, naming the bad field', () => {
    expect(readInstitution('i', { name: ' 吉林大学 ', kind: 'university', creditCode: '' })).toEqual({
      name: '吉林大学',
      kind: 'university',
    });
    expect(errorOf(() => readInstitution('i', { name: '吉林大学', kind: 'school' })).field).toBe('i.kind');
    expect(
      errorOf(() => readInstitution('i', { name: '吉林大学', kind: 'university', creditCode: 'x' })).field,
    ).toBe('i.creditCode');
    expect(
      errorOf(() => readInstitution('i', { name: '吉林大学', kind: 'university', city: 'x' })).field,
    ).toBe('i.city');
    expect(readStrategicCooperation('c', { partner: '长春市科学技术局', level: 'city' })).toEqual({
      partner: '长春市科学技术局',
      level: 'city',
    });
    expect(errorOf(() => readStrategicCooperation('c', { partner: 'p', level: 'county' })).field).toBe(
      'c.level',
    );
  });
});
