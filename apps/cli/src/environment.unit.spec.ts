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
  beforeAll(() => {
    // A stack started on other ports, as deploy/local records it.
    local = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-cli-env-'));
    fs.mkdirSync(path.join(local, 'run'));
    fs.writeFileSync(path.join(local, 'run', 'ports.env'), 'NQPF_PG_PORT=35432\nNQPF_KAFKA_PORT=31092\n');
  });
  afterAll(() => fs.rmSync(local, { recursive: true, force: true }));

  it("fills what development leaves unset with the local stack's broker and named database", () => {
    const config = configFromEnv(spec, { NQPF_LOCAL: local }, 'registry');
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:35432/registry');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:31092']);
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
    const config = configFromEnv(spec, env, 'registry');
    expect(config.DATABASE_URL).toBe('postgres://pg.example/registry');
    expect(config.KAFKA_BROKERS).toEqual(['k:9092']);
  });

  it('gives no defaults outside development: a missing variable is a usage error naming it', () => {
    expect(() => configFromEnv(spec, { NQPF_LOCAL: local, NODE_ENV: 'production' }, 'registry')).toThrow(
      new UsageError('DATABASE_URL is required; KAFKA_BROKERS is required'),
    );
  });
});
