import { baseConfigSpec, loadConfig } from '@nqpf/platform';

export const assessmentConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3004, min: 1, max: 65535 },
} as const;

export const loadAssessmentConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(assessmentConfigSpec, env);
export type AssessmentConfig = ReturnType<typeof loadAssessmentConfig>;
