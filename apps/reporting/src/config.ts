import { baseConfigSpec, loadConfig } from '@nqpf/platform';

export const reportingConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3003, min: 1, max: 65535 },
} as const;

export const loadReportingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(reportingConfigSpec, env);
export type ReportingConfig = ReturnType<typeof loadReportingConfig>;
