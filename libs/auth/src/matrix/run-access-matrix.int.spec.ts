import { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import { createTestProvider, recordingLogger } from '../test-support/provider';
import { buildTestApp } from '../test-support/test-app';
import { AccessMatrixError, runAccessMatrix } from './run-access-matrix';
import { AccessRow, parseAccessTable } from './parse-access-table';

const DEV = { seed: 'access-matrix-spec' };
const provider = createTestProvider();
let app: INestApplication;

beforeAll(async () => {
  app = await buildTestApp(
    {
      issuer: provider.issuer,
      audience: provider.audience,
      publicKeys: provider.publicKeysPem,
      clockSkewS: 30,
      devIdentity: DEV,
      nodeEnv: 'test',
    },
    recordingLogger(),
  );
});
afterAll(() => app.close());

const HEADER =
  '| service | method | path | city_bureau | district_office | operator | expert | finance_officer | auditor | public |\n|---|---|---|---|---|---|---|---|---|---|';

/** Own objects per role in the test app's fake repository (see test-app.ts). */
const params = (_: AccessRow, role: string, which: 'own' | 'other') => {
  const own: Record<string, string> = {
    district_office: 'center-a',
    operator: 'center-a',
    expert: 'center-a',
  };
  return { id: which === 'own' ? (own[role] ?? 'center-a') : 'center-b' };
};
const actors = { operator: { centerId: 'center-a' }, expert: { sub: 'expert-1' } };

describe('runAccessMatrix', () => {
  it('passes the operational rows of docs/security.md against an app that serves them', async () => {
    // The test app serves only /health, /health/live, /metrics and /docs; each service's matrix spec checks
    // its own routes.
    const rows = parseAccessTable(
      fs.readFileSync(path.resolve(__dirname, '../../../../docs/security.md'), 'utf8'),
    ).filter((row) => ['/health', '/health/live', '/metrics', '/docs'].includes(row.path));
    const checks = await runAccessMatrix(app, rows, { service: 'intake', devIdentity: DEV });
    expect(checks).toHaveLength(4 * 7);
  });

  it('checks allow, deny and own cells, own both ways', async () => {
    const rows = parseAccessTable(`${HEADER}
| test | GET | /centers/:id | allow | own | own | own | deny | allow | deny |
| test | POST | /disbursements | deny | deny | deny | deny | allow | deny | deny |
| test | POST | /centers/:id/notes | allow | own | own | deny | deny | deny | deny |`);
    const checks = await runAccessMatrix(app, rows, {
      devIdentity: DEV,
      params,
      actors,
      body: () => ({ text: 'n' }),
    });
    expect(
      checks
        .filter((c) => c.variant === 'other' && c.expected === 404)
        .map((c) => [c.row.path, c.column, c.status]),
    ).toEqual([
      ['/centers/:id', 'district_office', 404],
      ['/centers/:id', 'operator', 404],
      ['/centers/:id', 'expert', 404],
      ['/centers/:id/notes', 'district_office', 404],
      ['/centers/:id/notes', 'operator', 404],
    ]);
    // Each compared with an id that names nothing.
    expect(checks.filter((c) => c.variant === 'unknown').map((c) => c.status)).toEqual([
      404, 404, 404, 404, 404,
    ]);
  });

  it('reports every cell where the app and the table disagree', async () => {
    const rows = parseAccessTable(`${HEADER}
| test | GET | /centers/:id | allow | allow | allow | deny | deny | own | allow |
| test | GET | /not-there | allow | deny | deny | deny | deny | deny | deny |`);
    const run = runAccessMatrix(app, rows, { devIdentity: DEV, params, actors });
    await expect(run).rejects.toThrow(AccessMatrixError);
    const failures = await run.catch((err: AccessMatrixError) => err.failures);
    expect(failures.map((f) => `${f.row.path} ${f.column} ${f.variant} ${f.status}`)).toEqual([
      // "allow" on another district's or center's object, hidden as unknown: a 404, but a logged denial.
      '/centers/:id district_office other 404',
      '/centers/:id operator other 404',
      '/centers/:id expert route 200',
      '/centers/:id auditor other 200',
      '/centers/:id auditor other 200',
      '/centers/:id public route 401',
      '/centers/:id public other 401',
      '/not-there city_bureau route 404',
      '/not-there city_bureau other 404',
      '/not-there district_office route 404',
      '/not-there operator route 404',
      '/not-there expert route 404',
      '/not-there finance_officer route 404',
      '/not-there auditor route 404',
      '/not-there public route 404',
    ]);
    // An "own" other object answered otherwise than an unknown id is named with both answers.
    expect(failures.find((f) => f.column === 'auditor' && f.note)?.note).toMatch(
      /^answered 200 .*, an unknown id 404 /,
    );
  });

  it('fails a through-check the app refused as out of scope: a 404 like an unknown id, but a logged denial', async () => {
    const rows = parseAccessTable(`${HEADER}
| test | GET | /centers/:id | allow | own | own | own | deny | allow | deny |`);
    // The expert's "own" object is one it is not assigned to: the app wrongly (for the table) hides it.
    const wrongOwn = (row: AccessRow, role: string, which: 'own' | 'other') =>
      role === 'expert' && which === 'own' ? { id: 'center-c' } : params(row, role, which);
    const failures = await runAccessMatrix(app, rows, { devIdentity: DEV, params: wrongOwn, actors }).then(
      () => [],
      (err: AccessMatrixError) => err.failures,
    );
    expect(failures.map((f) => [f.column, f.variant, f.status, f.note])).toEqual([
      ['expert', 'own', 404, 'refused: access_denied 404 (expert is not assigned to this application)'],
    ]);
  });

  it("fails an own cell whose other object is refused 404 without logging the denial (as the registry's plain 404 did)", async () => {
    const rows = parseAccessTable(`${HEADER}
| test | GET | /centers/:id | allow | own | own | own | deny | allow | deny |`);
    // A 404 for "another district's" center that is no denial at all: the app does not know the id.
    const unlogged = (row: AccessRow, role: string, which: 'own' | 'other') =>
      role === 'district_office' && which === 'other' ? { id: 'center-nowhere' } : params(row, role, which);
    const failures = await runAccessMatrix(app, rows, { devIdentity: DEV, params: unlogged, actors }).then(
      () => [],
      (err: AccessMatrixError) => err.failures,
    );
    expect(failures.map((f) => [f.column, f.variant, f.status, f.note])).toEqual([
      ['district_office', 'other', 404, 'refused without logging access_denied 404'],
    ]);
  });

  it('fails an own cell when no own/other objects are supplied', async () => {
    const rows = parseAccessTable(`${HEADER}
| test | GET | /centers/:id | allow | own | deny | deny | deny | allow | deny |`);
    await expect(runAccessMatrix(app, rows, { devIdentity: DEV })).rejects.toThrow(
      /own cell needs options.params/,
    );
  });
});
