/** An exact ratio; compared and applied in integers, never through floating point. */
export interface Fraction {
  num: number;
  den: number;
}

/** a/b >= c/d, with positive denominators. */
export function fractionAtLeast(a: Fraction, b: Fraction): boolean {
  return BigInt(a.num) * BigInt(b.den) >= BigInt(b.num) * BigInt(a.den);
}

/** floor(amount × num / den) for a non-negative amount (rounding down to the fen). */
export function applyFraction(amount: bigint, f: Fraction): bigint {
  return (amount * BigInt(f.num)) / BigInt(f.den);
}

export function formatFraction(f: Fraction): string {
  return `${f.num}/${f.den}`;
}

/** Percentage with one decimal, for people only ('44.4%'); never used to decide. */
export function formatPercent(f: Fraction): string {
  return percent(f, 1, 0.5);
}

/**
 * A share found below `threshold`, for people: `formatPercent` unless rounding would show it at or above the
 * threshold as formatPercent shows it (500/1001 is "50%" against "50%"); then cut (not rounded) to as many
 * decimals as tell the two apart (49.9%), at most four.
 */
export function formatPercentBelow(f: Fraction, threshold: Fraction): string {
  const shown = formatPercent(threshold);
  if (formatPercent(f) !== shown) return formatPercent(f);
  for (let decimals = 1; ; decimals++) {
    const cut = percent(f, decimals, 0);
    if (cut !== percent(threshold, decimals, 0.5) || decimals === 4) return cut;
  }
}

function percent(f: Fraction, decimals: number, rounding: 0 | 0.5): string {
  if (f.den === 0) return 'n/a';
  const scale = 10n ** BigInt(decimals);
  const scaled = (BigInt(f.num) * 100n * scale * 2n + (rounding ? BigInt(f.den) : 0n)) / (BigInt(f.den) * 2n);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}
