import fs from 'node:fs';
import path from 'node:path';

/**
 * The local stack's addresses (deploy/local, `npm start`), for the tools that default to it: the CLI, the
 * examples, the tests' local infrastructure (libs/testing). The one reader of its ports outside the shell
 * scripts (deploy/local/common.sh reads them by the same rule).
 */

/** The checkout's root; a compiled tree (the container image) has neither file below and takes the defaults. */
const ROOT = path.resolve(__dirname, '../../..');

/** deploy/config.env's values, for a tree without it. */
const BUILT_IN = {
  NQPF_PG_PORT: '15432',
  NQPF_KAFKA_PORT: '19092',
  NQPF_KAFKA_CONTROLLER_PORT: '19093',
  NQPF_KAFKA_SECURE_PORT: '19094',
  INTAKE_PORT: '3001',
  REVIEW_PORT: '3002',
  REPORTING_PORT: '3003',
  ASSESSMENT_PORT: '3004',
  FINANCE_PORT: '3005',
  REGISTRY_PORT: '3006',
} as const;

export type LocalPortName = keyof typeof BUILT_IN;

/** KEY=VALUE lines (comments and blank lines skipped); a missing or unreadable file is empty. */
function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const entries: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) entries[match[1]!] = match[2]!.trim();
  }
  return entries;
}

/** The stack's directory: `$NQPF_LOCAL`, else the checkout's .local. */
function localDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.NQPF_LOCAL || path.join(ROOT, '.local'));
}

/** Where the start scripts record the ports the stack listens on: `$NQPF_LOCAL/run/ports.env` (.local). */
export function localPortsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(localDir(env), 'run', 'ports.env');
}

/**
 * Whether the component listening on `name`'s port runs: its pidfile names a live process whose command
 * line shows that component (or the script that started it) — deploy/local/common.sh's pid_alive, so a
 * pid reused by another process after a crash or a reboot is not taken for it. Without /proc (not Linux),
 * a live pid is all that can be told.
 */
function componentRuns(name: LocalPortName, local: string): boolean {
  const service = name.replace(/_PORT$/, '').toLowerCase();
  const [pidfile, shows] =
    name === 'NQPF_PG_PORT'
      ? [path.join(local, 'pg', 'data', 'postmaster.pid'), ['postgres']]
      : name.startsWith('NQPF_KAFKA_')
        ? [path.join(local, 'kafka', 'kafka.pid'), ['kafka.Kafka', 'kafka.sh']]
        : [path.join(local, 'run', `${service}.pid`), [`apps/${service}/src/main.ts`, 'services.sh']];
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidfile, 'utf8').split('\n')[0]!.trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return !fs.existsSync('/proc/self');
  }
  return shows.some((s) => cmdline.includes(s));
}

/**
 * A port of the local stack: the variable from the environment; else the port the stack's start recorded
 * (.local/run/ports.env, gone after `npm stop`) while the component that recorded it runs — the scripts'
 * rule, so a crash's leftovers do not count — so a shell without the variables reaches a stack started on
 * other ports; else deploy/config.env; else its documented default.
 */
export function localPort(name: LocalPortName, env: NodeJS.ProcessEnv = process.env): string {
  const given = env[name];
  if (given) return given;
  const recorded = readEnvFile(localPortsFile(env))[name];
  if (recorded && /^[0-9]+$/.test(recorded) && componentRuns(name, localDir(env))) return recorded;
  return readEnvFile(path.join(ROOT, 'deploy/config.env'))[name] || BUILT_IN[name];
}

/** `database` on the local PostgreSQL: postgres://postgres@127.0.0.1:<port>/<database>. */
export function localDatabaseUrl(database: string, env: NodeJS.ProcessEnv = process.env): string {
  return `postgres://postgres@127.0.0.1:${localPort('NQPF_PG_PORT', env)}/${database}`;
}

/** The local broker's plain-text listener: 127.0.0.1:<port>. */
export function localKafkaBrokers(env: NodeJS.ProcessEnv = process.env): string {
  return `127.0.0.1:${localPort('NQPF_KAFKA_PORT', env)}`;
}
