import { InvalidInputError } from '@nqpf/domain';
import { readGroupBy } from './group-by';

const KEYS = ['district', 'phase', 'status', 'latestGrade'] as const;

describe('readGroupBy: the summaries’ groupBy, one or two of the keys, comma-separated', () => {
  it('takes one or two keys in the order given, and the default when absent or empty', () => {
    expect(readGroupBy('status', KEYS, 'district')).toEqual(['status']);
    expect(readGroupBy('status,district', KEYS, 'district')).toEqual(['status', 'district']);
    expect(readGroupBy(undefined, KEYS, 'district')).toEqual(['district']);
    expect(readGroupBy('', KEYS, 'district')).toEqual(['district']);
  });

  it.each([
    [
      'grade',
      'groupBy: one or two of district, phase, status, latestGrade, comma-separated; "grade" is not one',
    ],
    [
      'district,',
      'groupBy: one or two of district, phase, status, latestGrade, comma-separated; "" is not one',
    ],
    ['district,phase,status', 'groupBy: at most two of district, phase, status, latestGrade; got 3'],
    ['district,district', 'groupBy: "district" is given twice'],
  ])('refuses %j, naming groupBy and the keys it takes', (value, message) => {
    let thrown: unknown;
    try {
      readGroupBy(value, KEYS, 'district');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(thrown).toMatchObject({ field: 'groupBy', message });
  });
});
