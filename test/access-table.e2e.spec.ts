import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAccessTable } from '@nqpf/auth';
import { ServiceUnderTest, startService, testEnvironment, uniqueName } from '@nqpf/testing';
import { ALL_SERVICES } from './fuzz/services';

/**
 * docs/security.md is the one source of truth for access: every route a service serves (its OpenAPI
 * document) has a row there, and every row names a route that exists. Each service's access-matrix spec
 * then checks the cells against the running code.
 */
describe('access table in docs/security.md', () => {
  const environment = testEnvironment(uniqueName('access_table'));
  const running = new Map<string, ServiceUnderTest>();
  const rows = parseAccessTable(fs.readFileSync(path.resolve(__dirname, '../docs/security.md'), 'utf8'));
  // Served outside the OpenAPI document: the metrics scrape and the document's own UI.
  const undocumented = new Set(['GET /metrics', 'GET /docs']);

  beforeAll(async () => {
    await Promise.all(
      ALL_SERVICES.map(async (s) => running.set(s.name, await startService(s.name, environment, s.build))),
    );
  });

  afterAll(async () => {
    await Promise.all([...running.values()].map((s) => s.close()));
  });

  it.each(ALL_SERVICES.map((s) => s.name))('has exactly one row for every route %s serves', async (name) => {
    const docs = await request(running.get(name)!.app.getHttpServer()).get('/docs-json').expect(200);
    const served = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([route, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${route.replace(/\{([^}]+)\}/g, ':$1')}`),
    );
    const listed = rows
      .filter((r) => r.service === name)
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !undocumented.has(r));
    expect({ missingRows: served.filter((r) => !listed.includes(r)).sort() }).toEqual({ missingRows: [] });
    expect({ rowsWithoutRoute: listed.filter((r) => !served.includes(r)).sort() }).toEqual({
      rowsWithoutRoute: [],
    });
  });
});
