import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { InvalidInputError } from '@nqpf/domain';
import { csvOf, type CsvColumns } from './csv';
import { EXPORT_BATCH, ExportGate, sendCsvExport, type CsvExport } from './csv-export';

type Selected = { id: string; amount: string };
const columns: CsvColumns<Selected> = [
  ['id', (r) => r.id, 'text'],
  ['amountFen', (r) => r.amount],
];
const rowsOf = (n: number): Selected[] =>
  Array.from({ length: n }, (_, i) => ({ id: String(i).padStart(6, '0'), amount: String(i * 100) }));

/**
 * A pool of one client that answers the export's statements from `rows`: `count` as their number, each
 * `fetch` with the next batch (or `fails` from the fetch of that number on), and records them.
 */
function fakePool(rows: Selected[], options: { count?: number; fails?: number; rollbackMs?: number } = {}) {
  const statements: string[] = [];
  const released: (Error | undefined)[] = [];
  let fetched = 0;
  let fetches = 0;
  const client = {
    query: async (text: string) => {
      statements.push(text.split(' ')[0]!);
      if (text.startsWith('select count')) return { rows: [{ n: String(options.count ?? rows.length) }] };
      if (text.startsWith('fetch')) {
        fetches++;
        if (options.fails !== undefined && fetches >= options.fails) throw new Error('connection lost');
        const batch = rows.slice(fetched, fetched + EXPORT_BATCH);
        fetched += batch.length;
        return { rows: batch };
      }
      if (text === 'rollback' && options.rollbackMs)
        await new Promise((resolve) => setTimeout(resolve, options.rollbackMs));
      return { rows: [] };
    },
    release: (err?: Error) => released.push(err),
  };
  return { pool: { connect: async () => client as unknown as PoolClient }, statements, released };
}

const spec: CsvExport<Selected, Selected> = {
  filename: 'test.csv',
  columns,
  count: { text: 'select count(*) as n from t', params: [] },
  rows: { text: 'select * from t order by id', params: [] },
  toRow: (r) => r,
};

/** Serves each request with `handle`, and reads one answer whole: status, headers, text, and whether it ended. */
async function served(handle: Parameters<typeof createServer>[1]) {
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<{ res: IncomingMessage; text: string; complete: boolean }>((resolve) => {
      get(`http://127.0.0.1:${port}/`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ res, text, complete: res.complete }));
        res.on('error', () => resolve({ res, text, complete: false }));
        res.on('aborted', () => resolve({ res, text, complete: false }));
      });
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('sendCsvExport: an export streamed a batch at a time', () => {
  it('writes the file csvOf writes (BOM, header, CRLF), chunked, reading the rows a batch at a time', async () => {
    const rows = rowsOf(2 * EXPORT_BATCH + 5);
    const fake = fakePool(rows);
    const answer = await served((_req, res) => void sendCsvExport(fake.pool, res, spec));
    expect(answer.complete).toBe(true);
    expect(answer.res.statusCode).toBe(200);
    expect(answer.res.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="test.csv"',
      'transfer-encoding': 'chunked',
    });
    expect(answer.res.headers['content-length']).toBeUndefined();
    expect(answer.text).toBe(csvOf(columns, rows));
    expect(answer.text.split('\r\n')[1]).toBe('"\t000000",0');
    expect(fake.statements).toEqual([
      'begin',
      'select',
      'declare',
      'fetch',
      'fetch',
      'fetch',
      'fetch',
      'rollback',
    ]);
    expect(fake.released).toEqual([undefined]);
  });

  it('ends the snapshot and frees the connection before the file ends: a reader may ask again at once', async () => {
    // A slow round trip: the place at the export gate is free only once sendCsvExport has returned.
    const fake = fakePool(rowsOf(3), { rollbackMs: 300 });
    let returned = false;
    const answer = await served(
      (_req, res) => void sendCsvExport(fake.pool, res, spec).then(() => (returned = true)),
    );
    expect(answer.complete).toBe(true);
    expect([fake.released, returned]).toEqual([[undefined], true]);
  });

  it('refuses more rows than the limit before reading one (the 400 of exportable), and frees the connection', async () => {
    const fake = fakePool(rowsOf(3), { count: 100_001 });
    const written: string[] = [];
    const res = { setHeader: () => written.push('header'), write: () => written.push('body') };
    const refused = sendCsvExport(fake.pool, res as never, spec);
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toMatchObject({
      message: expect.stringContaining('100001 rows match, more than the 100000 an export holds'),
    });
    expect(fake.statements).toEqual(['begin', 'select', 'rollback']);
    expect(fake.released).toEqual([undefined]);
    expect(written).toEqual([]);
  });

  it('cuts the answer off without its end when the database fails after the first bytes', async () => {
    const rows = rowsOf(3 * EXPORT_BATCH);
    const fake = fakePool(rows, { fails: 2 });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const answer = await served((_req, res) => void sendCsvExport(fake.pool, res, spec));
    expect(answer.res.statusCode).toBe(200);
    expect(answer.complete).toBe(false);
    expect(answer.text.startsWith(csvOf(columns, rows.slice(0, EXPORT_BATCH)))).toBe(true);
    expect(fake.statements.slice(-1)).toEqual(['rollback']);
    expect(fake.released).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith('test.csv cut short: connection lost');
    warn.mockRestore();
  });
});

describe('ExportGate', () => {
  it('lets EXPORT_CONCURRENCY exports be written at once and answers the next 429, Retry-After 2', async () => {
    const gate = new ExportGate({ EXPORT_CONCURRENCY: 1 });
    let release!: () => void;
    const held = gate.run(
      { id: 'finance-1', role: 'finance_officer' },
      () => new Promise<void>((r) => (release = r)),
    );
    await expect(
      gate.run({ id: 'bureau-1', role: 'city_bureau' }, async () => 'second'),
    ).rejects.toMatchObject({
      status: 429,
      retryAfterS: 2,
      message: '1 CSV exports are already being written on this replica; retry in a few seconds',
    });
    release();
    await held;
    await expect(gate.run({ id: 'bureau-1', role: 'city_bureau' }, async () => 'next')).resolves.toBe('next');
  });
});
