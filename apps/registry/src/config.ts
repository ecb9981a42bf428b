import { baseConfigSpec, districtUnitsConfigSpec, loadConfig } from '@nqpf/platform';

export const registryConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3006, min: 1, max: 65535 },
  /** As-of queries replaying at once per replica (each reads its topics from offset zero); more get 429. */
  AS_OF_CONCURRENCY: { kind: 'int', default: 2, min: 1, max: 16 },
  /** CSV exports written at once per replica (each holds a database connection until its last row); more get 429. */
  EXPORT_CONCURRENCY: { kind: 'int', default: 2, min: 1, max: 16 },
  /** A `district` filter naming none of them, nor any center's district, is a typo (400), not an empty answer. */
  ...districtUnitsConfigSpec,
} as const;

export const loadRegistryConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(registryConfigSpec, env);
export type RegistryConfig = ReturnType<typeof loadRegistryConfig>;
