import { judge, slopePerHour, type Point } from './verdict';

const series = (values: number[]): Point[] => values.map((value, i) => ({ minute: i, value }));

describe('soak verdict', () => {
  it('fits the slope per hour of a series sampled each minute', () => {
    expect(slopePerHour(series([10, 12, 14, 16]))).toBeCloseTo(120);
  });

  it('calls memory growing only when its trend exceeds the percentage of its mean per hour', () => {
    const rule = { kind: 'relative-slope', percentPerHour: 10 } as const;
    expect(judge(series([100, 100.1, 100, 100.1, 100]), rule, 0).growing).toBe(false);
    expect(judge(series([100, 101, 102, 103, 104]), rule, 0).growing).toBe(true);
  });

  it('ignores warm-up samples', () => {
    const rule = { kind: 'bounded', slack: 0 } as const;
    expect(judge(series([1, 5, 9, 9, 9, 9]), rule, 2).growing).toBe(false);
    expect(judge(series([1, 5, 9, 9, 9, 9]), rule, 0).growing).toBe(true);
  });

  it('calls lag growing when any steady sample exceeds its bound', () => {
    const rule = { kind: 'at-most', max: 10 } as const;
    expect(judge(series([0, 3, 0, 10]), rule, 0).growing).toBe(false);
    expect(judge(series([0, 3, 0, 11]), rule, 0).growing).toBe(true);
  });

  it('judges a heap by its floor: a GC sawtooth is flat, a rising floor is growth', () => {
    const rule = { kind: 'floor', percent: 20 } as const;
    expect(judge(series([60, 200, 62, 150, 58, 210, 61, 190, 63]), rule, 0).growing).toBe(false);
    expect(judge(series([60, 200, 70, 150, 80, 210, 90, 190, 100]), rule, 0).growing).toBe(true);
  });
});
