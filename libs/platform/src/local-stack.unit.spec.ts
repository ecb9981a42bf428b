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

  it('reads deploy/config.env when the stack recorded nothing', () => {
    expect(localPortsFile({ NQPF_LOCAL: local })).toBe(path.join(local, 'run', 'ports.env'));
    expect(localPort('NQPF_PG_PORT', { NQPF_LOCAL: local })).toBe(configEnv.NQPF_PG_PORT);
    expect(localPort('REGISTRY_PORT', { NQPF_LOCAL: local })).toBe(configEnv.REGISTRY_PORT);
  });

  it('prefers the ports the start scripts recorded, and the environment over both', () => {
    record('# written by deploy/local\nNQPF_PG_PORT=35432\nNQPF_KAFKA_PORT=31092\n');
    const env = { NQPF_LOCAL: local };
    expect(localDatabaseUrl('review', env)).toBe('postgres://postgres@127.0.0.1:35432/review');
    expect(localKafkaBrokers(env)).toBe('127.0.0.1:31092');
    expect(localPort('INTAKE_PORT', env)).toBe(configEnv.INTAKE_PORT);
    expect(localPort('NQPF_PG_PORT', { ...env, NQPF_PG_PORT: '25432' })).toBe('25432');
  });

  it('ignores a recorded line that is no port', () => {
    record('NQPF_PG_PORT=\nNQPF_KAFKA_PORT=x1\n');
    expect(localPort('NQPF_PG_PORT', { NQPF_LOCAL: local })).toBe(configEnv.NQPF_PG_PORT);
    expect(localPort('NQPF_KAFKA_PORT', { NQPF_LOCAL: local })).toBe(configEnv.NQPF_KAFKA_PORT);
  });
});
