import { baseConfigSpec, ConfigError, loadConfig } from '@nqpf/platform';
import { DEFAULT_DISTRICT_UNITS } from './domain/shared/district-units';

export const intakeConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3001, min: 1, max: 65535 },
  /**
   * The district-level units an application may belong to (RULES "Actors": reference data), comma-separated,
   * as the district offices' `district` claim names them. Default: the units RULES names.
   */
  NQPF_DISTRICT_UNITS: { kind: 'list', default: DEFAULT_DISTRICT_UNITS.join(',') },
} as const;

export const loadIntakeConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(intakeConfigSpec, env);
  const units = config.NQPF_DISTRICT_UNITS;
  const repeated = units.filter((unit, i) => units.indexOf(unit) !== i);
  if (repeated.length > 0)
    throw new ConfigError([`NQPF_DISTRICT_UNITS names ${repeated.join(', ')} more than once`]);
  return config;
};
export type IntakeConfig = ReturnType<typeof loadIntakeConfig>;
