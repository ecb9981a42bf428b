// The city the plans are measured on, scaled from the number of centers as in the s20 plan review
// (20 000 centers: 2 500 000 trail lines, 500 000 events per store, 300 experts).

/** District-level units; generate_series gives the first ones the most centers (power(random(), 1.4)). */
export const DISTRICTS = [
  '220102',
  '220103',
  '220104',
  '220105',
  '220106',
  '220112',
  '220113',
  '220122',
  '220181',
  '220182',
  '220183',
  '220184',
];

export interface Scale {
  centers: number;
  /** audit.trail: 125 lines per center (5 stores × 25 events). */
  trailLines: number;
  /** 1 000-event reporting-center-* streams, one per 200 centers (the store's long streams). */
  longStreams: number;
  /** Event store: 8 per application stream, 12 per candidacy stream, 1 000 per long stream (25 per center). */
  events: number;
  /** Each assigned to about 200 candidacies (3 per candidacy). */
  experts: number;
  /** The offset of page 50 of 50 rows, or a page as deep into a smaller city. */
  deepOffset: number;
}

export function scaleOf(centers: number): Scale {
  if (!Number.isSafeInteger(centers) || centers < 100)
    throw new Error(`BENCH_PLAN_CENTERS must be a whole number ≥ 100, not ${centers}`);
  const longStreams = Math.max(1, Math.round(centers / 200));
  return {
    centers,
    trailLines: centers * 125,
    longStreams,
    events: centers * 20 + longStreams * 1000,
    experts: Math.max(10, Math.round((centers * 3) / 200)),
    deepOffset: Math.min(2450, Math.floor(centers / 8 / 50) * 50),
  };
}
