import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { CONFIG } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { ConcurrencyGate } from '../rebuild/concurrency-gate';
import { csvHead, csvRecords, type CsvColumns } from './csv';
import { exportable } from './request-params';

/** Rows an export holds at most: more is a 400 asking for narrower filters, before any row is read. */
export const EXPORT_LIMIT = 100_000;

/** Rows read from the database and written to the answer at a time: the export's memory, whatever its size. */
export const EXPORT_BATCH = 1_000;

/**
 * At most EXPORT_CONCURRENCY CSV exports at a time in this process, and one per caller (ConcurrencyGate):
 * each holds a database connection and a snapshot until its last row is written, as slowly as its
 * reader takes them.
 */
@Injectable()
export class ExportGate extends ConcurrencyGate {
  constructor(@Inject(CONFIG) config: Pick<RegistryConfig, 'EXPORT_CONCURRENCY'>) {
    super(() => config.EXPORT_CONCURRENCY, {
      yours: 'your CSV export before this one is still being written on this replica; ask again once it ends',
      busy: (running) =>
        `${running} CSV exports are already being written on this replica; retry in a few seconds`,
      retryAfterS: 2,
    });
  }
}

/** A statement and its parameters. */
export interface Sql {
  text: string;
  params: unknown[];
}

/** One CSV export: its file name, its columns, how many rows match, and the rows in the file's order. */
export interface CsvExport<Selected, Row> {
  filename: string;
  columns: CsvColumns<Row>;
  /** `select count(*) as n …`: the rows `rows` reads. */
  count: Sql;
  rows: Sql;
  toRow: (selected: Selected) => Row;
}

const log = new Logger('csv-export');

/**
 * Answers the export as a CSV file streamed a batch at a time, never the whole of it in memory: in one
 * read-only snapshot (repeatable read) the matching rows are counted first, and more than `limit` is the
 * 400 of `exportable` before a row is read; then a cursor reads EXPORT_BATCH rows at a time, each batch
 * written as the reader takes the one before (backpressure). The file is as csvOf writes it: BOM, header,
 * CRLF. An error before the first byte is the route's JSON error; one after it (the database lost, the
 * reader gone) cuts the connection without the chunked answer's end, so a client sees a broken transfer,
 * not a file that passes for whole.
 */
export async function sendCsvExport<Selected, Row>(
  pool: { connect(): Promise<PoolClient> },
  res: ServerResponse,
  spec: CsvExport<Selected, Row>,
  limit = EXPORT_LIMIT,
): Promise<void> {
  const client = await pool.connect();
  let ending: Promise<void> | undefined;
  const end = () => (ending ??= endTransaction(client));
  try {
    await client.query('begin isolation level repeatable read read only');
    const counted = await client.query<{ n: string }>(spec.count.text, spec.count.params);
    exportable(Number(counted.rows[0]!.n), limit);
    await client.query(`declare csv_export no scroll cursor for ${spec.rows.text}`, spec.rows.params);
    res.statusCode = 200;
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${spec.filename}"`);
    try {
      // One batch ahead at most: the next is read once the reader has taken the one before.
      await pipeline(Readable.from(fileOf(client, spec, end), { highWaterMark: 1 }), res);
    } catch (err) {
      log.warn(`${spec.filename} cut short: ${(err as Error).message}`);
    }
  } finally {
    await end();
  }
}

/**
 * The file's text: its head, then each batch of rows as the cursor gives them. The snapshot ends before the
 * file does: a reader that has the whole file may ask again at once, and must find this export's place at
 * its gate free (it used to be held over the rollback's round trip: a 429 for the caller's next export).
 */
async function* fileOf<Selected, Row>(
  client: PoolClient,
  spec: CsvExport<Selected, Row>,
  end: () => Promise<void>,
): AsyncGenerator<string> {
  yield csvHead(spec.columns);
  for (;;) {
    const { rows } = await client.query<Selected & object>(`fetch ${EXPORT_BATCH} from csv_export`);
    if (rows.length === 0) return end();
    yield csvRecords(spec.columns, rows.map(spec.toRow));
  }
}

/**
 * The snapshot ended (read only: nothing to commit) and the connection back to the pool, or discarded when
 * it cannot even roll back: it may be the one that failed. A fetch still running (the reader gone) ends
 * first: a client runs its statements in turn.
 */
async function endTransaction(client: PoolClient): Promise<void> {
  try {
    await client.query('rollback');
    client.release();
  } catch (err) {
    client.release(err as Error);
  }
}
