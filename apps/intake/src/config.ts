import { baseConfigSpec, districtUnitsConfigSpec, loadConfig } from '@nqpf/platform';

export const intakeConfigSpec = {
  ...baseConfigSpec,
  PORT: { kind: 'int', default: 3001, min: 1, max: 65535 },
  /** The district-level units an application may belong to (A3). */
  ...districtUnitsConfigSpec,
} as const;

export const loadIntakeConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(intakeConfigSpec, env);
export type IntakeConfig = ReturnType<typeof loadIntakeConfig>;
