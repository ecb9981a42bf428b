import { baseConfigSpec, loadConfig } from '@nqpf/platform';

export const reportingConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3003, min: 1, max: 65535 },
  /** How often stored report and A17.3a operating deadlines are checked; 0 turns the timers off (tests tick them). */
  REPORTING_TIMER_INTERVAL_MS: { kind: 'int', default: 60000, min: 0, max: 86400000 },
} as const;

export const loadReportingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(reportingConfigSpec, env);
export type ReportingConfig = ReturnType<typeof loadReportingConfig>;
