import { baseConfigSpec, loadConfig } from '@nqpf/platform';

export const registryConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3006, min: 1, max: 65535 },
} as const;

export const loadRegistryConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(registryConfigSpec, env);
export type RegistryConfig = ReturnType<typeof loadRegistryConfig>;
