import { baseConfigSpec, loadConfig } from '@nqpf/platform';

export const financeConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3005, min: 1, max: 65535 },
} as const;

export const loadFinanceConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(financeConfigSpec, env);
export type FinanceConfig = ReturnType<typeof loadFinanceConfig>;
