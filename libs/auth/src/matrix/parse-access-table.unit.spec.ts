import fs from 'node:fs';
import path from 'node:path';
import { AccessTableError, parseAccessTable } from './parse-access-table';

const HEADER =
  '| service | method | path | city_bureau | district_office | operator | expert | finance_officer | auditor | public |';
const SEPARATOR = '|---|---|---|---|---|---|---|---|---|---|';
const table = (...rows: string[]) => ['# title', '', HEADER, SEPARATOR, ...rows, '', 'after'].join('\n');

describe('parseAccessTable', () => {
  it('reads each row into service, method, path and a cell per role', () => {
    const rows = parseAccessTable(
      table(
        '| intake | `post` | `/applications/:id/endorse` | allow | own | deny | deny | deny | deny | deny |',
      ),
    );
    expect(rows).toEqual([
      {
        service: 'intake',
        method: 'POST',
        path: '/applications/:id/endorse',
        access: {
          city_bureau: 'allow',
          district_office: 'own',
          operator: 'deny',
          expert: 'deny',
          finance_officer: 'deny',
          auditor: 'deny',
          public: 'deny',
        },
        line: 5,
      },
    ]);
  });

  it('ignores other tables and joins every access table of the document', () => {
    const other = '| role | who |\n|---|---|\n| a | b |';
    const row = (service: string) =>
      `| ${service} | GET | /health | allow | allow | allow | allow | allow | allow | allow |`;
    const rows = parseAccessTable(`${other}\n\n${table(row('intake'))}\n\n${table(row('review'))}`);
    expect(rows.map((r) => r.service)).toEqual(['intake', 'review']);
  });

  it.each([
    [
      'an unknown cell value',
      '| intake | GET | /x | allow | maybe | deny | deny | deny | deny | deny |',
      /district_office cell "maybe"/,
    ],
    [
      'a missing cell',
      '| intake | GET | /x | allow | deny | deny | deny | deny | deny |',
      /expected 10 cells, found 9/,
    ],
    [
      'an unknown method',
      '| intake | FETCH | /x | allow | deny | deny | deny | deny | deny | deny |',
      /method "FETCH"/,
    ],
    [
      'a relative path',
      '| intake | GET | x | allow | deny | deny | deny | deny | deny | deny |',
      /path "x" must start with \//,
    ],
    [
      '"own" for the public',
      '| intake | GET | /x | allow | deny | deny | deny | deny | deny | own |',
      /public cell cannot be "own"/,
    ],
    [
      '"self" for the public',
      '| intake | GET | /x | allow | deny | deny | deny | deny | deny | self |',
      /public cell cannot be "self"/,
    ],
  ])('refuses %s, naming the line', (_, row, message) => {
    expect(() => parseAccessTable(table(row))).toThrow(AccessTableError);
    expect(() => parseAccessTable(table(row))).toThrow(message);
    expect(() => parseAccessTable(table(row))).toThrow(/line 5/);
  });

  it('refuses a duplicate row', () => {
    const row = '| intake | GET | /x | allow | deny | deny | deny | deny | deny | deny |';
    expect(() => parseAccessTable(table(row, row))).toThrow('line 6: duplicate row intake GET /x');
  });

  it('refuses a document without an access table', () => {
    expect(() => parseAccessTable('# nothing here')).toThrow(/no access table/);
  });

  it('reads docs/security.md: health, liveness, metrics and docs are public for every service', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/security.md'), 'utf8');
    const rows = parseAccessTable(doc);
    for (const service of ['intake', 'review', 'reporting', 'assessment', 'finance', 'registry']) {
      for (const route of ['/health', '/health/live', '/metrics', '/docs']) {
        const row = rows.find((r) => r.service === service && r.method === 'GET' && r.path === route);
        expect(row && Object.values(row.access).every((cell) => cell === 'allow')).toBe(true);
      }
    }
  });
});
