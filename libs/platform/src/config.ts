import { parseDistrictUnits } from '@nqpf/domain';
/**
 * Configuration from the environment, validated once at start: a missing or malformed variable stops the
 * service with a message naming it (fail fast), instead of failing later on first use.
 */
export type VarSpec =
  | { kind: 'string'; default?: string; optional?: boolean; oneOf?: readonly string[] }
  | { kind: 'int'; default?: number; min?: number; max?: number }
  | { kind: 'bool'; default?: boolean }
  | { kind: 'url'; default?: string; protocols: string[] }
  | { kind: 'list'; default?: string }
  /** A variable with a parser of its own, shared with another reader (unset or empty: undefined). */
  | { kind: 'parsed'; parse: (value: string | undefined) => unknown; default?: undefined };

type ValueOf<S extends VarSpec> = S extends { kind: 'parsed'; parse: (value: string | undefined) => infer V }
  ? V
  : S extends { kind: 'int' }
    ? number
    : S extends { kind: 'bool' }
      ? boolean
      : S extends { kind: 'list' }
        ? string[]
        : S extends { kind: 'string'; optional: true }
          ? string | undefined
          : string;

export type ConfigOf<T extends Record<string, VarSpec>> = { [K in keyof T]: ValueOf<T[K]> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export function loadConfig<T extends Record<string, VarSpec>>(
  spec: T,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<T> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(spec)) {
    const raw = env[name];
    const given = raw !== undefined && raw !== '';
    if (s.kind === 'parsed') {
      try {
        out[name] = s.parse(given ? raw : undefined);
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
      continue;
    }
    if (!given && s.default === undefined && !(s.kind === 'string' && s.optional)) {
      problems.push(`${name} is required`);
      continue;
    }
    const text = given ? raw! : s.default === undefined ? undefined : String(s.default);
    if (text === undefined) continue;
    switch (s.kind) {
      case 'string':
        if (s.oneOf && !s.oneOf.includes(text))
          problems.push(`${name} must be one of ${s.oneOf.join(', ')}, got '${text}'`);
        out[name] = text;
        break;
      case 'list': {
        const values = text
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        if (given && values.length === 0) problems.push(`${name} must name at least one value`);
        out[name] = values;
        break;
      }
      case 'bool':
        if (!/^(true|false|1|0)$/.test(text)) problems.push(`${name} must be true/false/1/0, got '${text}'`);
        out[name] = text === 'true' || text === '1';
        break;
      case 'int': {
        const n = Number(text);
        if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n))
          problems.push(`${name} must be an integer, got '${text}'`);
        else if ((s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max))
          problems.push(`${name} must be between ${s.min ?? '-∞'} and ${s.max ?? '∞'}, got ${n}`);
        out[name] = n;
        break;
      }
      case 'url':
        try {
          const u = new URL(text);
          if (!s.protocols.includes(u.protocol.replace(':', '')))
            problems.push(`${name} must use ${s.protocols.join(' or ')}, got '${u.protocol}'`);
        } catch {
          problems.push(`${name} must be a URL`);
        }
        out[name] = text;
        break;
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out as ConfigOf<T>;
}

/** How to reach Kafka (docs/operations.md "Kafka with TLS and SASL"); kafkaSecurityOf checks them together. */
export const kafkaConfigSpec = {
  KAFKA_BROKERS: { kind: 'list' },
  /** Topic prefix, so tests and parallel environments keep topics of their own. */
  KAFKA_TOPIC_PREFIX: { kind: 'string', default: 'nqpf' },
  KAFKA_TLS: { kind: 'bool', default: false },
  /** PEM file of the CA(s) that signed the brokers' certificates, when Node's own do not. */
  KAFKA_TLS_CA_FILE: { kind: 'string', optional: true },
  /** scram-sha-512, scram-sha-256 or plain (plain only with KAFKA_TLS); unset: no SASL. */
  KAFKA_SASL_MECHANISM: { kind: 'string', optional: true },
  KAFKA_SASL_USERNAME: { kind: 'string', optional: true },
  KAFKA_SASL_PASSWORD: { kind: 'string', optional: true },
  /** Replicas of each topic the services create; -1: the brokers' default.replication.factor. */
  KAFKA_TOPIC_REPLICATION_FACTOR: { kind: 'int', default: -1, min: -1, max: 16 },
  /** min.insync.replicas of each topic the services create; -1: the brokers' default. */
  KAFKA_TOPIC_MIN_INSYNC_REPLICAS: { kind: 'int', default: -1, min: -1, max: 16 },
} satisfies Record<string, VarSpec>;

/** The variables every service reads. */
export const baseConfigSpec = {
  NODE_ENV: { kind: 'string', default: 'development' },
  PORT: { kind: 'int', min: 1, max: 65535 },
  HOST: { kind: 'string', default: '127.0.0.1' },
  DATABASE_URL: { kind: 'url', protocols: ['postgres', 'postgresql'] },
  /**
   * Connections one process may open (requests, consumers, timers, and the relay's lease and LISTEN, which
   * it keeps); the database must allow this × replicas (+1 during a rollout).
   */
  DATABASE_POOL_MAX: { kind: 'int', default: 20, min: 5, max: 500 },
  /** The server ends a session idle this long inside a transaction (releasing its locks); 0: never. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: { kind: 'int', default: 60000, min: 0 },
  /** How long the answer to a command sent with an Idempotency-Key is kept for its retries (hours). */
  IDEMPOTENCY_RETENTION_HOURS: { kind: 'int', default: 168, min: 1, max: 87600 },
  ...kafkaConfigSpec,
  LOG_LEVEL: {
    kind: 'string',
    default: 'info',
    oneOf: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  },
  /** How long in-flight work may finish after SIGTERM (keep it below the pod's grace minus preStop). */
  SHUTDOWN_GRACE_MS: { kind: 'int', default: 10000, min: 1000, max: 300000 },
  /**
   * The Ed25519 private key (PKCS#8 PEM) a service with an event store seals its appends with; required
   * in a deployment (event-sealer.ts), optional in development.
   */
  NQPF_EVENT_SEAL_KEY_FILE: { kind: 'string', optional: true },
  /**
   * The service's seal public keys (PEM blocks: its current key's and those its unpublished events may
   * still carry after a key change), whose seals the outbox relay accepts; default its own key's alone.
   */
  NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE: { kind: 'string', optional: true },
  /** Development only: a clock the demo seed may move (PUT /dev/clock); refused unless isDevelopmentEnv. */
  NQPF_DEV_CLOCK: { kind: 'bool', default: false },
} satisfies Record<string, VarSpec>;

export type BaseConfig = ConfigOf<typeof baseConfigSpec>;

/**
 * The district-level units (RULES "Actors": reference data), comma-separated, as the district offices'
 * `district` claim names them; default: the units RULES names. Intake checks an application's district
 * against them (A3), the registry a `district` filter, libs/auth the claim: all with one parser
 * (parseDistrictUnits, which refuses an empty list and a unit named twice).
 */
export const districtUnitsConfigSpec = {
  NQPF_DISTRICT_UNITS: { kind: 'parsed', parse: parseDistrictUnits },
} as const;
