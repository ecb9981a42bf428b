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
  if (f.den === 0) return 'n/a';
  const tenths = Math.floor((f.num * 1000) / f.den + 0.5);
  return `${Math.floor(tenths / 10)}${tenths % 10 === 0 ? '' : `.${tenths % 10}`}%`;
}
