import { baseConfigSpec, loadConfig } from '@nqpf/platform';

export const assessmentConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3004, min: 1, max: 65535 },
  /** How often the stored A17.3a deadlines are checked; 0 turns the timer off (tests tick it). */
  ASSESSMENT_TIMER_INTERVAL_MS: { kind: 'int', default: 60000, min: 0, max: 86400000 },
} as const;

export const loadAssessmentConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(assessmentConfigSpec, env);
export type AssessmentConfig = ReturnType<typeof loadAssessmentConfig>;
