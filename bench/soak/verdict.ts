// Whether a sampled series stays flat over a soak: a least-squares slope for the trend, and a rule per kind
// of metric for what counts as growth.

export interface Point {
  /** Minutes since the soak started. */
  minute: number;
  value: number;
}

export type Rule =
  /** Memory: after warm-up, the fitted trend grows less than `percentPerHour` of the mean per hour. */
  | { kind: 'relative-slope'; percentPerHour: number }
  /**
   * A garbage-collected heap: a sample lands anywhere on the GC sawtooth, so the trend of raw samples is
   * noise; a leak raises the floor. The last third's minimum stays within `percent` % of the first third's.
   */
  | { kind: 'floor'; percent: number }
  /** Handles, pool sizes, connections: the last third never exceeds the first third's maximum + `slack`. */
  | { kind: 'bounded'; slack: number }
  /** Lag, backlog: every sample after warm-up stays at or below `max` (it drains between scrapes). */
  | { kind: 'at-most'; max: number }
  /** Latency: the last third's mean stays within `factor` × the first third's mean. */
  | { kind: 'ratio'; factor: number };

export interface Verdict {
  first: number;
  last: number;
  slopePerHour: number;
  growing: boolean;
  threshold: string;
}

/** Least-squares slope of value over time, per hour. */
export function slopePerHour(points: Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.minute, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.minute - mx) * (p.value - my);
    den += (p.minute - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const thirds = (xs: number[]) => {
  const k = Math.max(1, Math.floor(xs.length / 3));
  return [xs.slice(0, k), xs.slice(-k)] as const;
};

/** Judges the series after dropping its first `warmup` samples (JIT, pools and caches filling). */
export function judge(series: Point[], rule: Rule, warmup: number): Verdict {
  const steady = series.length > warmup + 1 ? series.slice(warmup) : series;
  const values = steady.map((p) => p.value);
  const slope = slopePerHour(steady);
  const [head, tail] = thirds(values);
  const base = { first: values[0] ?? NaN, last: values.at(-1) ?? NaN, slopePerHour: slope };
  switch (rule.kind) {
    case 'relative-slope': {
      const limit = (mean(values) * rule.percentPerHour) / 100;
      return { ...base, growing: slope > limit, threshold: `slope < ${rule.percentPerHour} % of mean /h` };
    }
    case 'floor':
      return {
        ...base,
        growing: Math.min(...tail) > Math.min(...head) * (1 + rule.percent / 100),
        threshold: `min(last third) ≤ min(first third) + ${rule.percent} %`,
      };
    case 'bounded':
      return {
        ...base,
        growing: Math.max(...tail) > Math.max(...head) + rule.slack,
        threshold: `last third ≤ max(first third) + ${rule.slack}`,
      };
    case 'at-most':
      return { ...base, growing: Math.max(...values) > rule.max, threshold: `every sample ≤ ${rule.max}` };
    case 'ratio':
      return {
        ...base,
        growing: mean(tail) > mean(head) * rule.factor,
        threshold: `mean(last third) ≤ ${rule.factor} × mean(first third)`,
      };
  }
}
