import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, testInfra, uniqueName, type TestDatabase } from '@nqpf/testing';
import { startServiceProcess, type ServiceProcess } from '../../bench/e2e/service-process';

jest.setTimeout(120000);

const ROOT = path.resolve(__dirname, '../..');

/** The images run the tree deploy/docker/compile.js makes: no TypeScript, no workspace links. */
describe('a service compiled as the image runs it', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-compiled-'));
  let db: TestDatabase;
  let review: ServiceProcess | undefined;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'deploy/docker/compile.js'), out], { stdio: 'pipe' });
    db = await createTestDatabase('compiled');
  });

  afterAll(async () => {
    await review?.close();
    await db?.drop();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('holds JavaScript and the bundled data, without tests or TypeScript', () => {
    const files = fs.readdirSync(out, { recursive: true }) as string[];
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(files.filter((f) => /\.spec(-helper)?\.js$/.test(f))).toEqual([]);
    expect(files).toContain(path.join('apps', 'review', 'src', 'main.js'));
    expect(files).toContain(path.join('libs', 'rules', 'src', 'calendar', 'data', 'cn-2026.json'));
  });

  it('starts, answers /health with every dependency up, and stops on SIGTERM without being killed', async () => {
    const prefix = uniqueName('compiled');
    review = await startServiceProcess(
      'review',
      {
        NODE_ENV: 'development',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        AUTH_DEV_IDENTITY: '1',
        AUTH_DEV_IDENTITY_SEED: `seed-${prefix}`,
      },
      { compiledDir: out },
    );
    const health = await fetch(`http://127.0.0.1:${review.port}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { checks: unknown }).checks).toMatchObject({
      database: 'up',
      kafka: 'up',
      outbox: 'up',
    });
    const started = Date.now();
    // Nest's shutdown hooks end by re-raising the signal: SIGTERM, not the SIGKILL sent after 10 s.
    expect(await review.close()).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(10_000);
    review = undefined;
  });
});
