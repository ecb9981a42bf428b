import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { builtinModules } from 'node:module';
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

  it('declares every workspace package dependency at the root with the same range (the image copies only the root node_modules)', () => {
    const manifest = (file: string) =>
      JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { dependencies?: Record<string, string> };
    const root = manifest('package.json').dependencies ?? {};
    const workspaces = ['apps', 'libs'].flatMap((dir) =>
      fs.readdirSync(path.join(ROOT, dir)).map((name) => path.join(dir, name, 'package.json')),
    );
    const drift = workspaces
      .filter((file) => fs.existsSync(path.join(ROOT, file)))
      .flatMap((file) =>
        Object.entries(manifest(file).dependencies ?? {})
          .filter(([name, range]) => !name.startsWith('@nqpf/') && root[name] !== range)
          .map(([name, range]) => `${file}: ${name} ${range}, root ${root[name] ?? 'none'}`),
      );
    expect(drift).toEqual([]);
  });

  it("loads only production dependencies (all the image installs) and Node's own modules at start", () => {
    const { dependencies } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const services = fs.readdirSync(path.join(out, 'apps')).filter((a) => a !== 'cli');
    const loaded = startupPackages(services.map((s) => path.join(out, 'apps', s, 'src', 'main.js')));
    expect([...loaded].filter((n) => !(n in dependencies) && !builtinModules.includes(n))).toEqual([]);
    // The walk reached the modules and the side-effect imports, or it proved nothing.
    expect([...loaded]).toEqual(expect.arrayContaining(['@nestjs/core', 'reflect-metadata']));
  });

  it('runs the command line from the tree, listing its commands', () => {
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [path.join(out, 'apps/cli/src/main.js'), ...args], {
        env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
        encoding: 'utf8',
      });
    expect(cli('--help')).toMatch(/audit .*\n.*outbox .*\n.*rebuild .*\n.*rules .*\n.*token /s);
    expect(JSON.parse(cli('rules', 'grade', '--score', '85')).outcome).toEqual({ grade: '良好' });
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

/**
 * The packages a process loads from these entry points before it runs anything: the compiled files'
 * top-level requires (SWC writes them at the start of a line; lazy ones, such as a test helper's
 * supertest, sit indented inside functions), followed through the relative ones.
 */
function startupPackages(entries: string[]): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/^(?:\S.*?)?\brequire\("([^"]+)"\)/gm)) {
      if (spec!.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec!);
        if (target.endsWith('.json')) continue;
        pending.push(fs.existsSync(`${target}.js`) ? `${target}.js` : path.join(target, 'index.js'));
      } else {
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        packages.add(name.replace(/^node:/, ''));
      }
    }
  }
  return packages;
}
