import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaConfigSpec, type VarSpec } from '@nqpf/platform';
import { configFromEnv } from './environment';
import { UsageError } from './usage';

const spec = {
  DATABASE_URL: { kind: 'url', protocols: ['postgres'] },
  ...kafkaConfigSpec,
} satisfies Record<string, VarSpec>;

describe('configFromEnv', () => {
  let local: string;
  let stack: ChildProcess;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());
  const said = () => stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
  beforeAll(() => {
    // A stack started on other ports, as deploy/local records it.
    local = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-cli-env-'));
    fs.mkdirSync(path.join(local, 'run'));
    fs.writeFileSync(path.join(local, 'run', 'ports.env'), 'NQPF_PG_PORT=35432\nNQPF_KAFKA_PORT=31092\n');
    // Recorded ports count while their components run: a process standing for PostgreSQL and Kafka.
    stack = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'postgres', 'kafka.Kafka'], {
      stdio: 'ignore',
    });
    for (const file of ['pg/data/postmaster.pid', 'kafka/kafka.pid']) {
      fs.mkdirSync(path.dirname(path.join(local, file)), { recursive: true });
      fs.writeFileSync(path.join(local, file), `${stack.pid}\n`);
    }
  });
  afterAll(() => {
    stack.kill();
    fs.rmSync(local, { recursive: true, force: true });
  });

  it("fills what development leaves unset with the local stack's broker and named database", () => {
    const config = configFromEnv(spec, { NQPF_LOCAL: local }, { localDatabase: 'registry' });
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:35432/registry');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:31092']);
    expect(said()).toBe(
      'nqpf: using the local stack: database postgres://postgres@127.0.0.1:35432/registry; brokers 127.0.0.1:31092\n',
    );
    expect(configFromEnv(kafkaConfigSpec, { NQPF_LOCAL: local, NODE_ENV: 'test' }).KAFKA_BROKERS).toEqual([
      '127.0.0.1:31092',
    ]);
  });

  it('keeps what the environment sets', () => {
    const env = {
      NQPF_LOCAL: local,
      DATABASE_URL: 'postgres://pg.example/registry',
      KAFKA_BROKERS: 'k:9092',
    };
    const config = configFromEnv(spec, env, { localDatabase: 'registry' });
    expect(config.DATABASE_URL).toBe('postgres://pg.example/registry');
    expect(config.KAFKA_BROKERS).toEqual(['k:9092']);
    expect(said()).toBe('');
  });

  it('takes the local defaults all or nothing: one connection given, every other is required (exit 2 naming it)', () => {
    const production = { NQPF_LOCAL: local, DATABASE_URL: 'postgres://prod.example/registry' };
    expect(() => configFromEnv(spec, production, { localDatabase: 'registry' })).toThrow(
      new UsageError(
        "KAFKA_BROKERS is required: DATABASE_URL is given, and the local stack's defaults apply only when none of the command's connections is",
      ),
    );
    expect(() =>
      configFromEnv(spec, { NQPF_LOCAL: local, KAFKA_BROKERS: 'k:9092' }, { localDatabase: 'registry' }),
    ).toThrow(/^DATABASE_URL is required: KAFKA_BROKERS is given/);
    expect(said()).toBe('');
  });

  it('counts the stores --database-url names as a connection: given stores need KAFKA_BROKERS, given brokers need stores', () => {
    const stores = (given: boolean) => ({ given, urls: ['postgres://pg.example/review'] });
    expect(() => configFromEnv(kafkaConfigSpec, { NQPF_LOCAL: local }, { stores: stores(true) })).toThrow(
      /^KAFKA_BROKERS is required: --database-url is given/,
    );
    expect(() =>
      configFromEnv(
        kafkaConfigSpec,
        { NQPF_LOCAL: local, KAFKA_BROKERS: 'k:9092' },
        { stores: stores(false) },
      ),
    ).toThrow(/^--database-url is required: KAFKA_BROKERS is given/);
    const env = { NQPF_LOCAL: local, KAFKA_BROKERS: 'k:9092' };
    expect(configFromEnv(kafkaConfigSpec, env, { stores: stores(true) }).KAFKA_BROKERS).toEqual(['k:9092']);
    expect(said()).toBe('');
    const localStores = { given: false, urls: ['postgres://postgres@127.0.0.1:35432/review'] };
    expect(
      configFromEnv(kafkaConfigSpec, { NQPF_LOCAL: local }, { stores: localStores }).KAFKA_BROKERS,
    ).toEqual(['127.0.0.1:31092']);
    expect(said()).toBe(
      'nqpf: using the local stack: database postgres://postgres@127.0.0.1:35432/review; brokers 127.0.0.1:31092\n',
    );
  });

  it('gives no defaults outside development: a missing variable is a usage error naming it', () => {
    expect(() =>
      configFromEnv(spec, { NQPF_LOCAL: local, NODE_ENV: 'production' }, { localDatabase: 'registry' }),
    ).toThrow(new UsageError('DATABASE_URL is required; KAFKA_BROKERS is required'));
  });
});
