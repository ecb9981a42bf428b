import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yml against what it starts: the services wait for a PostgreSQL that has its databases.
 * Static: parses the file, so it needs no Docker.
 */

const ROOT = path.resolve(__dirname, '../..');

interface ComposeService {
  image?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const postgres = compose.services.postgres!;
const initdb = fs.readFileSync(path.join(ROOT, 'deploy/docker/initdb.sql'), 'utf8');

describe('docker-compose.yml', () => {
  it('reports PostgreSQL healthy only once its init scripts have run: pg_isready over TCP', () => {
    // During the first start the image's entrypoint runs initdb.sql on a server that listens on the Unix
    // socket only; over the socket pg_isready passes then, before the databases exist.
    const [kind, command, ...args] = postgres.healthcheck!.test;
    expect(kind).toBe('CMD');
    expect(command).toBe('pg_isready');
    const host = args[args.indexOf('-h') + 1];
    expect(args).toContain('-h');
    expect(host).toBe('127.0.0.1');
  });

  it('mounts the init script that creates each service database, and starts each service after it', () => {
    expect(postgres.volumes).toContain(
      './deploy/docker/initdb.sql:/docker-entrypoint-initdb.d/initdb.sql:ro',
    );
    const apps = Object.entries(compose.services).filter(([, s]) => s.environment?.DATABASE_URL);
    expect(apps.length).toBe(6);
    for (const [name, service] of apps) {
      expect(service.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
      const database = new URL(service.environment!.DATABASE_URL!).pathname.slice(1);
      expect([name, initdb]).toEqual([name, expect.stringContaining(`create database ${database};`)]);
    }
  });
});
