import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 1000, factor: 2 };

  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(policy, a))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelay(policy, 5)).toBe(1000);
    expect(backoffDelay(policy, 60)).toBe(1000);
  });

  it('rejects an attempt below 1, naming the rule', () => {
    expect(() => backoffDelay(policy, 0)).toThrow('attempt must be an integer ≥ 1');
  });
});
