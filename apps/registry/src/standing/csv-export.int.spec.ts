import request from 'supertest';
import { Client, Pool } from 'pg';
import { PG_POOL } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import { startService, ServiceUnderTest, testEnvironment, uniqueName } from '@nqpf/testing';
import { loadRegistryConfig } from '../config';
import { RegistryModule } from '../registry.module';
import { conforming } from '../read-api/testing/answers';
import { intakeStory, reviewStory } from './center-story.fixture';
import { EXPORT_BATCH, EXPORT_LIMIT, ExportGate } from './csv-export';
import { standingCsv } from './standing.export';
import { reduceStanding } from './standing.reducer';
import { emptyStanding, type StandingRow } from './standing.row';
import { saveStanding, STANDING_SCHEMA } from './standing.table';
import { toStandingView } from './standing.view';

/**
 * The CSV exports on PostgreSQL (rows written straight into the standing table): streamed a batch at a
 * time, refused over their limit before a row is read, and at most EXPORT_CONCURRENCY at once.
 */
describe('CSV exports: streamed, refused over the limit before reading, gated per replica', () => {
  const environment = testEnvironment(uniqueName('csv-export'));
  environment.env = { ...environment.env, EXPORT_CONCURRENCY: '1' };
  let registry: ServiceUnderTest;
  let pool: Pool;
  const rows = 2 * EXPORT_BATCH + 500;

  /** `n` copies of one recognised center, ids `000001`… (all digits: a spreadsheet's number). */
  const copy = (from: number, n: number) =>
    pool.query(
      `insert into standing.standing select lpad(g::text, 6, '0'), district, operator_account_id, phase, status,
         latest_grade, submitted_on, recognized_on, consecutive_unqualified, reports_overdue,
         jsonb_set(row, '{centerId}', to_jsonb(lpad(g::text, 6, '0')))
         from standing.standing, generate_series($2::int, $3::int) g where center_id = $1`,
      ['seed', from, from + n - 1],
    );

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
    pool = registry.app.get<Pool>(PG_POOL);
    const seed = [...intakeStory('seed', '南关区'), ...reviewStory('seed', '南关区', '2026-03-10')].reduce(
      reduceStanding,
      emptyStanding('seed'),
    );
    await saveStanding(pool, STANDING_SCHEMA, [seed]);
    await copy(1, rows - 1);
  });

  afterAll(async () => {
    await registry?.close();
  });

  const get = async (path: string, token: string) =>
    conforming(await request(registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`));

  it('streams every row, over several batches, as the whole file would be written', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    const csv = await get('/standing.csv?sort=centerId', bureau);
    const today = shanghaiToday(new Date());
    expect(csv.status).toBe(200);
    expect(csv.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="standing.csv"',
      'transfer-encoding': 'chunked',
    });
    const stored = await pool.query<{ row: StandingRow }>(
      'select row from standing.standing order by center_id',
    );
    expect(stored.rows).toHaveLength(rows);
    expect(csv.text).toBe(standingCsv(stored.rows.map((r) => toStandingView(r.row, today))));
    // An all-digit center id stays text in a spreadsheet.
    expect(csv.text.split('\r\n')[1]).toMatch(/^"\t000001",南关区,recognised,/);
  });

  it('refuses an export of more than 100 000 rows with 400 before reading one', async () => {
    await copy(rows, EXPORT_LIMIT + 1 - rows);
    // Every statement the registry's connections run meanwhile (the spy calls through).
    const query = jest.spyOn(Client.prototype, 'query');
    const statements = () =>
      query.mock.calls.map(([q]) => String(typeof q === 'string' ? q : (q as { text?: string }).text));
    try {
      const bureau = await registry.token({ role: 'city_bureau' });
      const started = Date.now();
      const refused = await get('/standing.csv', bureau);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_input', field: 'filters' });
      expect(refused.body.message).toBe(
        'filters: 100001 rows match, more than the 100000 an export holds; narrow them (district, year, …)',
      );
      expect(statements().some((s) => /^select count\(\*\) as n from standing\.standing/.test(s))).toBe(true);
      expect(statements().filter((s) => /^(declare|fetch)|select row/.test(s))).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      query.mockRestore();
      await pool.query(`delete from standing.standing where center_id >= lpad($1::text, 6, '0')`, [rows]);
    }
  });

  it('answers an export beyond EXPORT_CONCURRENCY at once with 429 and Retry-After, and serves the next', async () => {
    const gate = registry.app.get(ExportGate);
    let release!: () => void;
    const held = gate.run(
      { id: 'finance-1', role: 'finance_officer' },
      () => new Promise<void>((r) => (release = r)),
    );
    const bureau = await registry.token({ role: 'city_bureau', sub: 'b-1' });
    try {
      for (const path of ['/standing.csv', '/ledger.csv', '/ledger/entries.csv']) {
        const busy = await get(path, bureau);
        expect({ path, status: busy.status }).toEqual({ path, status: 429 });
        expect(busy.headers['retry-after']).toBe('2');
        expect(busy.body.message).toBe(
          '1 CSV exports are already being written on this replica; retry in a few seconds',
        );
      }
    } finally {
      release();
      await held;
    }
    expect((await get('/ledger/entries.csv', bureau)).status).toBe(200);
  });
});
