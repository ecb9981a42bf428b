import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localDatabaseUrl, localKafkaBrokers, localPort, localPortsFile } from './local-stack';

const configEnv = Object.fromEntries(
  fs
    .readFileSync(path.resolve(__dirname, '../../../deploy/config.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z]/.test(l))
    .map((l) => l.split('=') as [string, string]),
);

describe('the local stack ports', () => {
  let local: string;
  beforeEach(() => (local = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-local-stack-'))));
  afterEach(() => fs.rmSync(local, { recursive: true, force: true }));

  const record = (text: string) => {
    fs.mkdirSync(path.join(local, 'run'), { recursive: true });
    fs.writeFileSync(path.join(local, 'run', 'ports.env'), text);
  };
  /** Writes `pid` into the pidfiles of PostgreSQL, Kafka and intake, as the start scripts do. */
  const pidfiles = (pid: number) => {
    for (const file of ['pg/data/postmaster.pid', 'kafka/kafka.pid', 'run/intake.pid']) {
      fs.mkdirSync(path.dirname(path.join(local, file)), { recursive: true });
      fs.writeFileSync(path.join(local, file), `${pid}\n`);
    }
  };
  // A process whose command line shows the components (as their pidfiles' processes do), and one that does not.
  const children: ChildProcess[] = [];
  const running = (...args: string[]) => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], {
      stdio: 'ignore',
    });
    children.push(child);
    return child.pid!;
  };
  afterAll(() => children.forEach((c) => c.kill()));

  it('reads deploy/config.env when the stack recorded nothing', () => {
    expect(localPortsFile({ NQPF_LOCAL: local })).toBe(path.join(local, 'run', 'ports.env'));
    expect(localPort('NQPF_PG_PORT', { NQPF_LOCAL: local })).toBe(configEnv.NQPF_PG_PORT);
    expect(localPort('REGISTRY_PORT', { NQPF_LOCAL: local })).toBe(configEnv.REGISTRY_PORT);
  });

  it('prefers the ports the start scripts recorded, and the environment over both', () => {
    record('# written by deploy/local\nNQPF_PG_PORT=35432\nNQPF_KAFKA_PORT=31092\n');
    pidfiles(running('postgres', 'kafka.Kafka'));
    const env = { NQPF_LOCAL: local };
    expect(localDatabaseUrl('review', env)).toBe('postgres://postgres@127.0.0.1:35432/review');
    expect(localKafkaBrokers(env)).toBe('127.0.0.1:31092');
    expect(localPort('INTAKE_PORT', env)).toBe(configEnv.INTAKE_PORT);
    expect(localPort('NQPF_PG_PORT', { ...env, NQPF_PG_PORT: '25432' })).toBe('25432');
  });

  it("trusts a recorded port only while its component runs: no pidfile, a dead pid or another process's is config.env", () => {
    record('NQPF_PG_PORT=35432\nNQPF_KAFKA_PORT=31092\nINTAKE_PORT=23001\n');
    const env = { NQPF_LOCAL: local };
    const defaults = [configEnv.NQPF_PG_PORT, configEnv.NQPF_KAFKA_PORT, configEnv.INTAKE_PORT];
    const ports = () => [
      localPort('NQPF_PG_PORT', env),
      localPort('NQPF_KAFKA_PORT', env),
      localPort('INTAKE_PORT', env),
    ];
    expect(ports()).toEqual(defaults);
    // A pid reused by an unrelated process (after a crash or a reboot).
    pidfiles(running('unrelated'));
    expect(ports()).toEqual(defaults);
    const dead = spawn(process.execPath, ['-e', '0']);
    return new Promise<void>((done) => dead.on('exit', () => done())).then(() => {
      pidfiles(dead.pid!);
      expect(ports()).toEqual(defaults);
      pidfiles(running('postgres', 'kafka.Kafka', 'apps/intake/src/main.ts'));
      expect(ports()).toEqual(['35432', '31092', '23001']);
    });
  });

  it('ignores a recorded line that is no port', () => {
    record('NQPF_PG_PORT=\nNQPF_KAFKA_PORT=x1\n');
    expect(localPort('NQPF_PG_PORT', { NQPF_LOCAL: local })).toBe(configEnv.NQPF_PG_PORT);
    expect(localPort('NQPF_KAFKA_PORT', { NQPF_LOCAL: local })).toBe(configEnv.NQPF_KAFKA_PORT);
  });
});
