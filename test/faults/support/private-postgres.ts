import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Pool } from 'pg';
import { uniqueName, type TestDatabase } from '@nqpf/testing';

const run = promisify(execFile);

/** The server binaries, as deploy/local/postgres.sh finds them: on PATH, else the newest /usr/lib/postgresql/<v>/bin. */
function binDir(): string {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .find((d) => fs.existsSync(path.join(d, 'pg_ctl')) && fs.existsSync(path.join(d, 'initdb')));
  if (onPath) return path.dirname(fs.realpathSync(path.join(onPath, 'pg_ctl')));
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root) : [];
  const newest = versions
    .map((v) => path.join(root, v, 'bin'))
    .filter((d) => fs.existsSync(path.join(d, 'pg_ctl')))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))[0];
  if (!newest) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found');
  return newest;
}

/**
 * A PostgreSQL cluster of the scenario's own (temporary data and socket directory, trust auth on
 * 127.0.0.1): the shared server on 15432 serves everybody else and is never stopped. The server refuses
 * to run as root, so as root it runs as the `postgres` user, which owns the directory.
 */
export class PrivatePostgres {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-faults-pg-'));
  private readonly bin = binDir();
  private readonly asRoot = process.getuid?.() === 0;

  constructor(readonly port = 29432) {
    if (this.asRoot) fs.chownSync(this.dir, ...this.postgresUser());
  }

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private postgresUser(): [number, number] {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (!line) throw new Error('running as root but there is no postgres user to run the server as');
    const [, , uid, gid] = line.split(':');
    return [Number(uid), Number(gid)];
  }

  /** Asynchronous, so the services keep running (and failing) while the server stops and starts. */
  private async exec(tool: string, args: string[]): Promise<void> {
    const command = path.join(this.bin, tool);
    const [file, argv] = this.asRoot
      ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
      : [command, args];
    await run(file, argv, { timeout: 90000 });
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  /** Initialises the cluster on the first call; returns once it accepts connections (pg_ctl -w, at most 60 s). */
  async start(): Promise<void> {
    if (!fs.existsSync(path.join(this.data, 'PG_VERSION'))) {
      await this.exec('initdb', [
        '-D',
        this.data,
        '-U',
        'postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--locale=C',
      ]);
    }
    await this.exec('pg_ctl', [
      ...['-D', this.data, '-l', path.join(this.dir, 'server.log'), '-w', '-t', '60', 'start'],
      ...['-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`],
    ]);
  }

  /** `immediate` is a crash: every backend dies at once, with no checkpoint; the next start recovers from WAL. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** A fresh database on this cluster, shaped like createTestDatabase's. */
  async createDatabase(prefix: string): Promise<TestDatabase> {
    const name = uniqueName(prefix).toLowerCase();
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = `postgres://postgres@127.0.0.1:${this.port}/${name}`;
    const pool = new Pool({ connectionString: url, max: 5 });
    // The scenario stops this server: idle clients die with it, and the pool just drops them.
    pool.on('error', () => undefined);
    return {
      url,
      pool,
      // The whole cluster goes with destroy(); only the pool needs closing.
      drop: () => pool.end(),
    };
  }

  /** Stops the server if it runs and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop('fast').catch(() => undefined); // already stopped
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
