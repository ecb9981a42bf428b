import { baseConfigSpec, districtUnitsConfigSpec, loadConfig } from '@nqpf/platform';

export const reviewConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3002, min: 1, max: 65535 },
  /** How often stored publicity ends are checked; 0 turns the timer off (tests call tick). */
  REVIEW_DEADLINE_INTERVAL_MS: { kind: 'int', default: 1000, min: 0, max: 86400000 },
  /** Calendar year files (cn-YYYY.json) beyond the bundled years, comma-separated (docs/operations.md). */
  NQPF_CALENDAR_YEARS: { kind: 'list', default: '' },
  /** The district-level units a list may be filtered by (A3). */
  ...districtUnitsConfigSpec,
} as const;

export const loadReviewConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(reviewConfigSpec, env);
export type ReviewConfig = ReturnType<typeof loadReviewConfig>;
