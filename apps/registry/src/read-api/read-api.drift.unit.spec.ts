import 'reflect-metadata';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  accountOpened,
  gradeEvent,
  intakeStory,
  reviewStory,
  tracked,
} from '../standing/center-story.fixture';
import { reduceStanding } from '../standing/standing.reducer';
import { emptyStanding } from '../standing/standing.row';
import { standingAsShownTo, toStandingView } from '../standing/standing.view';
import request from 'supertest';
import { createService, openApiDocument } from '@nqpf/platform';
import { buildReadApiDocument, DOCUMENT_ENV, documentModule, REGISTRY_SERVICE } from './read-api.document';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { READ_API_DOCUMENT_PATH, readCommittedReadApi } from './read-api.file';
import { READ_API_SCHEMAS, READ_API_VERSION, type ReadApiSchemaName } from './read-api.schemas';
import { answerErrors } from './testing/answers';
import { reviewExamples } from '../../../../libs/contracts/src/schemas/testing/decided-examples';
import { exampleEnvelope } from '../../../../libs/contracts/src/schemas/testing/example-envelope';
import { asShownToTheCenter, toStreamTrailEntry, toTrailEntry } from '../audit/trail-entry';
import { expectConformsTo, readApiErrors } from './testing/conforms';
import { RATE_LIMITED } from './responses';
import {
  acceptedQuery,
  documentedCallers,
  documentedKind,
  enforcedCallers,
  enforcedKind,
  httpMethodOf,
  isRateLimited,
  registryRoutes,
  type RegistryRoute,
  writesItsOwnAnswer,
} from './testing/routes';

const REGENERATE =
  'run: SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register apps/registry/scripts/generate-read-api.ts';

/** Each JSON route of the read API and the schema its 200 answers. */
const ROUTES: [string, string, ReadApiSchemaName][] = [
  ['get', '/standing', 'StandingPage'],
  ['get', '/standing/as-of', 'StandingAsOf'],
  ['get', '/standing/summary', 'StandingSummary'],
  ['get', '/standing/{centerId}', 'StandingView'],
  ['get', '/ledger', 'LedgerPage'],
  ['get', '/ledger/as-of', 'LedgerAsOf'],
  ['get', '/ledger/summary', 'LedgerSummary'],
  ['get', '/ledger/{centerId}', 'LedgerView'],
  ['get', '/audit/centers/{centerId}', 'CenterTrail'],
  ['get', '/audit/events', 'StreamTrail'],
  ['get', '/audit/centers', 'CentersTrail'],
  ['post', '/admin/rebuild', 'RebuildAnswer'],
  ['get', '/calls', 'CallList'],
];

describe('read API contract: code and docs/contracts/read-api.openapi.yaml agree', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await buildReadApiDocument();
  });

  it(`commits the document exactly as the registry builds it (else ${REGENERATE})`, () => {
    expect(readCommittedReadApi()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('reads the same under YAML 1.1 (PyYAML, Ruby) as under 1.2: a key like `on` is quoted, not a boolean', () => {
    const text = readFileSync(READ_API_DOCUMENT_PATH, 'utf8');
    expect(parse(text, { version: '1.1' })).toEqual(parse(text));
    // The ledger entry's date is the field 1.1 would read as true.
    const entry = (parse(text, { version: '1.1' }) as OpenAPIObject).components?.schemas?.LedgerEntry as {
      required: unknown[];
    };
    expect(entry.required).toContain('on');
  });

  it('is the document the registry serves at /docs-json when started as main.ts starts it', async () => {
    const app = await createService({ ...REGISTRY_SERVICE, module: documentModule() }, DOCUMENT_ENV);
    try {
      const served = await request(app.getHttpServer()).get('/docs-json');
      expect(served.status).toBe(200);
      expect(served.body).toEqual(JSON.parse(JSON.stringify(document)));
    } finally {
      await app.close();
    }
  });

  it('states the read API contract version, in OpenAPI 3.1 (JSON Schema draft 2020-12)', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe(READ_API_VERSION);
    expect(READ_API_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names the current version in the consumer guide (docs/contracts/README.md, "The registry\'s read API")', () => {
    const guide = readFileSync(join(dirname(READ_API_DOCUMENT_PATH), 'README.md'), 'utf8');
    const named = /read API's contract version \(`(\d+\.\d+\.\d+)`\)/.exec(guide.replace(/\s+/g, ' '));
    expect(named?.[1]).toBe(READ_API_VERSION);
  });

  it.each(ROUTES)('%s %s answers 200 with %s, and its errors with ErrorBody', (method, path, name) => {
    const responses = (document.paths[path] as Record<string, { responses: object }>)[method].responses;
    const json = (status: string) =>
      (responses as Record<string, { content?: Record<string, { schema: object }> }>)[status]?.content?.[
        'application/json'
      ]?.schema;
    expect(json('200')).toEqual({ $ref: `#/components/schemas/${name}` });
    // 304 (a conditional GET's Not Modified) has no body; the drift of it and of the ETag is checked below.
    const errors = Object.keys(responses).filter((s) => s !== '200' && s !== '304');
    expect(errors.length).toBeGreaterThan(1);
    for (const status of errors)
      expect([status, json(status)]).toEqual([status, { $ref: '#/components/schemas/ErrorBody' }]);
  });

  it('gives every JSON route of the registry a response schema (a new route needs one)', () => {
    const undescribed = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { responses?: Record<string, { content?: object }> }>)
        .filter(([, op]) => !op.responses?.['200']?.content)
        .map(([method]) => `${method} ${path}`),
    );
    // Health and metrics are the platform's.
    expect(undescribed.filter((r) => !/\/health|\/metrics/.test(r))).toEqual([]);
  });

  it('compiles every schema in strict mode, each reference resolving', () => {
    for (const name of Object.keys(READ_API_SCHEMAS) as ReadApiSchemaName[])
      expect([name, readApiErrors(name, undefined).length > 0]).toEqual([name, true]);
  });
});

describe('read API contract: each route documents what the code takes and answers (testing/routes.ts)', () => {
  type Operation = {
    operationId: string;
    description?: string;
    parameters?: { in: string; name: string; schema?: Parameters<typeof documentedKind>[0] }[];
    responses: Record<string, { description?: string; headers?: Record<string, unknown>; content?: object }>;
  };
  let app: INestApplication;
  let routes: RegistryRoute[];
  const operations = new Map<string, { route: string; operation: Operation }>();
  beforeAll(async () => {
    // The document of the routes' decorators as they are now (the committed one is compared above).
    app = await NestFactory.create(documentModule(), { logger: false });
    const paths = openApiDocument(app, REGISTRY_SERVICE).paths as Record<string, Record<string, Operation>>;
    for (const [path, item] of Object.entries(paths))
      for (const [method, operation] of Object.entries(item))
        operations.set(operation.operationId, {
          route: `${method} ${path}`,
          operation,
        });
    routes = registryRoutes(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  const routeOf = (r: RegistryRoute) =>
    operations.get(r.operationId)?.route ?? `${r.operationId} (not in the document)`;

  it('documents on every route exactly the query parameters its strictQuery takes, no more, no fewer', async () => {
    const table = await Promise.all(
      routes.map(async (r) => {
        const documented = (operations.get(r.operationId)?.operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => p.name);
        return { route: routeOf(r), documented, accepted: await acceptedQuery(r) };
      }),
    );
    expect(table.map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'get /standing.csv',
        'get /ledger.csv',
        'get /ledger/entries.csv',
        'get /calls',
      ]),
    );
    // A route's query as its strictQuery takes it and as documented: what one has and the other lacks.
    const drift = table.flatMap(({ route, documented, accepted }): object[] => {
      if (!Array.isArray(accepted)) return [{ route, probe: accepted }];
      const takenNotDocumented = accepted.filter((name) => !documented.includes(name));
      const documentedNotTaken = documented.filter((name) => !accepted.includes(name));
      return takenNotDocumented.length + documentedNotTaken.length > 0
        ? [{ route, takenNotDocumented, documentedNotTaken }]
        : [];
    });
    expect(drift).toEqual([]);
  });

  it("documents each query parameter's type, bounds, format and values as the route enforces them", async () => {
    const table = await Promise.all(
      routes.flatMap((r) =>
        (operations.get(r.operationId)?.operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map(async (p) => ({
            route: routeOf(r),
            name: p.name,
            documented: documentedKind(p.schema ?? {}),
            enforced: await enforcedKind(r, p.name),
          })),
      ),
    );
    // The probe reads what it should: a page's limit, a year, a date, a list of values, text.
    const kindOf = (route: string, name: string) =>
      table.find((p) => p.route === route && p.name === name)?.enforced;
    expect([
      kindOf('get /standing', 'limit'),
      kindOf('get /standing', 'offset'),
      kindOf('get /audit/centers', 'limit'),
      kindOf('get /ledger.csv', 'supportYear'),
      kindOf('get /calls', 'year'),
      kindOf('get /audit/events', 'from'),
      kindOf('post /admin/rebuild', 'verifyOnly'),
      kindOf('get /ledger', 'district'),
    ]).toEqual([
      { type: 'integer', minimum: 1, maximum: 200 },
      { type: 'integer', minimum: 0 },
      { type: 'integer', minimum: 1, maximum: 500 },
      { type: 'integer', minimum: 1, maximum: 99 },
      { type: 'integer', minimum: 2000, maximum: 2100 },
      { type: 'string', format: 'date' },
      { type: 'string', enum: ['true', 'false'] },
      { type: 'string' },
    ]);
    const drift = table
      .filter((p) => JSON.stringify(p.documented) !== JSON.stringify(p.enforced))
      .map(({ route, name, documented, enforced }) => ({ route, name, documented, enforced }));
    expect(drift).toEqual([]);
  });

  it("names in every route's description the roles its guards let call it, or that it is public", () => {
    const table = routes.map((r) => ({
      route: routeOf(r),
      documented: documentedCallers(operations.get(r.operationId)?.operation.description),
      enforced: enforcedCallers(app, r),
    }));
    // The guards read as the routes are marked: public, the bureau alone, a few roles, every reader.
    const enforced = (route: string) => table.find((r) => r.route === route)?.enforced;
    expect([
      enforced('get /calls'),
      enforced('post /admin/rebuild'),
      enforced('get /audit/events'),
      enforced('get /standing'),
    ]).toEqual([
      'public',
      ['city_bureau'],
      ['city_bureau', 'auditor'],
      ['city_bureau', 'district_office', 'operator', 'finance_officer', 'auditor'],
    ]);
    const drift = table.filter((r) => JSON.stringify(r.documented) !== JSON.stringify(r.enforced));
    expect(drift).toEqual([]);
  });

  it('lists the 429 of the rate limit on every route the limiter limits, and on no other', async () => {
    const table = await Promise.all(
      routes.map(async (r) => ({
        route: routeOf(r),
        limited: await isRateLimited(app, r),
        documented: (operations.get(r.operationId)?.operation.responses['429']?.description ?? '').includes(
          RATE_LIMITED,
        ),
      })),
    );
    // The guard read as the routes are marked: the public list is limited, a route needing a token is not.
    const limited = (route: string) => table.find((r) => r.route === route)?.limited;
    expect([limited('get /calls'), limited('get /standing')]).toEqual([true, false]);
    const drift = table
      .filter((r) => r.limited !== r.documented)
      .map(({ route, limited, documented }) => ({
        route,
        rateLimited: limited,
        its429Documented: documented,
      }));
    expect(drift).toEqual([]);
  });

  it('documents the ETag of every answer Express sends for the route, and the 304 of a conditional GET', async () => {
    // Express (as main.ts starts the registry) puts a weak ETag on every body res.send writes, Nest's JSON
    // answers, and answers 304 without a body to a GET whose If-None-Match names it; a route writing its own
    // answer (@Res: the CSV exports' stream) gets neither.
    const served = await createService({ ...REGISTRY_SERVICE, module: documentModule() }, DOCUMENT_ENV);
    const etags =
      typeof (served.getHttpAdapter().getInstance() as { get(s: string): unknown }).get('etag fn') ===
      'function';
    await served.close();
    const table = routes.map((r) => {
      const responses = operations.get(r.operationId)?.operation.responses ?? {};
      const sent = etags && !writesItsOwnAnswer(r);
      return {
        route: routeOf(r),
        etag: { sent, documented: responses['200']?.headers?.ETag !== undefined },
        notModified: {
          sent: sent && httpMethodOf(r) === RequestMethod.GET,
          documented: responses['304'] !== undefined && responses['304'].content === undefined,
        },
      };
    });
    const row = (route: string) => table.find((r) => r.route === route);
    // The read as the routes are: a JSON GET both, a POST the ETag only, a CSV export neither.
    expect(
      [row('get /standing'), row('post /admin/rebuild'), row('get /standing.csv')].map((r) => [
        r?.etag.sent,
        r?.notModified.sent,
      ]),
    ).toEqual([
      [true, true],
      [true, false],
      [false, false],
    ]);
    const drift = table.filter(
      (r) => r.etag.sent !== r.etag.documented || r.notModified.sent !== r.notModified.documented,
    );
    expect(drift).toEqual([]);
  });
});

describe('read API contract: the views the code builds conform, and a missing field is caught', () => {
  const C = 'center-1';
  const row = [
    ...intakeStory(C, '南关区'),
    ...reviewStory(C, '南关区', '2026-03-10'),
    tracked(C, '2026-03-10', '2028-03-10'),
    accountOpened(C, '南关区', '2026-03-10'),
    gradeEvent(C, 2026, '不合格'),
  ].reduce(reduceStanding, emptyStanding(C));

  it('a recognised, graded center and an empty row conform to StandingView', () => {
    expectConformsTo('StandingView', toStandingView(row, '2026-06-01'));
    expectConformsTo('StandingView', toStandingView(emptyStanding('center-2'), '2026-06-01'));
    // As a finance officer reads it: the filing account withheld.
    const forFinance = standingAsShownTo({ role: 'finance_officer' }, toStandingView(row, '2026-06-01'));
    expect(forFinance.operator.accountId).toBe('(withheld)');
    expectConformsTo('StandingView', forFinance);
  });

  it('a view without a field the code always sends, or with a wrong type, does not', () => {
    const view = JSON.parse(JSON.stringify(toStandingView(row, '2026-06-01')));
    delete view.operatingDeadline;
    view.reports.due = '0';
    expect(readApiErrors('StandingView', view)).toEqual([
      "/ must have required property 'operatingDeadline'",
      '/reports/due must be integer',
    ]);
    expect(readApiErrors('StandingPage', { total: 1, limit: 50, offset: 0, items: [view] })).toContain(
      "/items/0 must have required property 'operatingDeadline'",
    );
  });

  it("trail lines of the services' real events conform, as recorded and as the center sees them", () => {
    const events = reviewExamples().flatMap(({ centerId, events }) =>
      events.map((event, i) => exampleEnvelope(event, centerId, i + 1)),
    );
    const lines = events.flatMap((e) => toTrailEntry(e) ?? []).map(({ district: _d, ...line }) => line);
    expect(lines.length).toBeGreaterThan(10);
    for (const view of [lines, lines.map(asShownToTheCenter)])
      expectConformsTo('CenterTrail', {
        centerId: 'app-1',
        district: '南关区',
        events: view,
        nextCursor: null,
      });
    expect(readApiErrors('CenterTrail', { centerId: 'app-1', district: null, events: lines })).toEqual([
      "/ must have required property 'nextCursor'",
    ]);
    // Read city-wide: each line with its center's district (null when no event named one).
    const cityWide = lines.map((line, i) => ({ ...line, district: i % 2 ? '南关区' : null }));
    for (const view of [cityWide, cityWide.map(asShownToTheCenter)])
      expectConformsTo('CentersTrail', { events: view, nextCursor: null });
    expect(readApiErrors('CentersTrail', { events: cityWide })).toEqual([
      "/ must have required property 'nextCursor'",
    ]);
    const streams = events.flatMap((e) => toStreamTrailEntry(e) ?? []);
    expectConformsTo('StreamTrail', { events: streams });
    const { payload: _p, ...withoutPayload } = lines[0]!;
    expect(readApiErrors('CenterTrailLine', withoutPayload)).toEqual([
      "/ must have required property 'payload'",
    ]);
  });

  it('lets fields be added (objects stay open)', () => {
    expectConformsTo('StandingView', { ...toStandingView(row, '2026-06-01'), aNewField: 1 });
  });
});

describe('read API contract: answers checked against the committed document (testing/answers.ts)', () => {
  const json = 'application/json; charset=utf-8';
  const error = { statusCode: 409, error: 'Conflict', message: 'standing: a rebuild is running' };

  it('takes a documented status with a conforming body, literal routes before parameters', () => {
    expect(answerErrors('POST', '/admin/rebuild?readModel=ledger', 409, json, error)).toEqual([]);
    expect(answerErrors('GET', '/standing/as-of?at=2026-03-10', 429, json, error)).toEqual([]);
    expect(answerErrors('GET', '/standing.csv', 200, 'text/csv; charset=utf-8', '\ufeffcenterId')).toEqual(
      [],
    );
  });

  it('refuses a status the document does not list, a route it does not know and a body that does not conform', () => {
    expect(answerErrors('GET', '/standing', 409, json, error)).toEqual([
      'GET /standing answered 409, which the document does not list',
    ]);
    expect(answerErrors('GET', '/standings', 200, json, {})).toEqual([
      'GET /standings is not in the read API document',
    ]);
    expect(answerErrors('GET', '/ledger/c-1', 404, json, { statusCode: 404, message: 'no' })).toEqual([
      "GET /ledger/{centerId} 404 (ErrorBody): / must have required property 'error'",
    ]);
  });
});
