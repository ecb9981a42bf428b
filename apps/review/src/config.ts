import { baseConfigSpec, loadConfig } from '@nqpf/platform';

export const reviewConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3002, min: 1, max: 65535 },
} as const;

export const loadReviewConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(reviewConfigSpec, env);
export type ReviewConfig = ReturnType<typeof loadReviewConfig>;
