/** Starts a spreadsheet formula when a cell begins with it (Excel, WPS, LibreOffice). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * Words a spreadsheet reads in a date or time: a month's name not inside another word (`Jan-26`, `1 March`,
 * `SEPT1`) and the halves of a day (`2 PM`, `下午 2:30`).
 */
const DATE_WORDS =
  /(?<![a-z\d])(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)(?![a-z])|(?<![a-z])[ap]\.?m\.?(?![a-z])|上午|下午/gi;
/** An exponent's `e` (`1e5`, `1E+05`): a letter inside a number. */
const EXPONENT = /(?<=\d)e(?=[+-]?\d)/gi;
/** What is left of a number, date, time, percentage, amount or fraction once its words are taken out. */
const NUMERIC_REST = /^[\d\s+\-.,:/%()$¥€£年月日时分秒点]*$/;

/**
 * Whether a spreadsheet opening the file would take the text for a number, date, time, percentage or truth
 * value rather than text: `20261115000012345678` (a float, its last digits lost), `000123` (123), `1.10`
 * (1.1), `1e5`, `2026-05-01`, `5月1日`, `12:30`, `12%`, `(123)`, `TRUE`; full-width digits as well.
 * Generous on purpose: a text cell kept as text that needed no keeping costs nothing.
 */
export function readAsNumberBySpreadsheets(text: string): boolean {
  const value = text.normalize('NFKC').trim();
  if (/^(true|false)$/i.test(value)) return true;
  return /\d/.test(value) && NUMERIC_REST.test(value.replace(DATE_WORDS, '').replace(EXPONENT, ''));
}

/**
 * One CSV cell (RFC 4180: quoted when it holds a comma, quote or line break). Text that a spreadsheet would
 * run as a formula (an operator can name a center `=HYPERLINK(…)`) gets a leading `'`, which makes it plain
 * text there; numbers, negative ones included, are left as they are. In a text column (`asText`: ids,
 * references, names, versions), a value a spreadsheet would read as a number or a date
 * (readAsNumberBySpreadsheets) gets a leading tab inside quotes: Excel and LibreOffice keep the cell as text,
 * every digit and leading zero, and show no mark. A value of its own starting with a tab gets the `'`, so a
 * leading tab is always this one, and a program drops it.
 */
export function csvCell(value: unknown, asText = false): string {
  const raw =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (FORMULA_START.test(raw) && !NUMBER.test(raw)) return quoted(`'${raw}`);
  if (asText && readAsNumberBySpreadsheets(raw)) return `"\t${raw.replace(/"/g, '""')}"`;
  return quoted(raw);
}

const quoted = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** Each record ends with CRLF; the file starts with a byte order mark (csvHead). */
const record = (cells: string[]): string => cells.join(',') + '\r\n';

/**
 * RFC 4180 CSV: csvCell's cells, CRLF between records. The file starts with a byte order mark: without it
 * Excel on a Chinese Windows reads UTF-8 as GBK (garbled names).
 */
export function toCsv(header: string[], rows: unknown[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => record(r.map((cell) => csvCell(cell)))).join('');
}

/**
 * An export's columns, each a header, how a row gives its cell, and `text` for a column of text that a
 * spreadsheet must not turn into a number or a date (ids, voucher references, names, policy versions:
 * csvCell's `asText`). Spreadsheets built on a file read columns by position: a new column goes at the end,
 * never between existing ones.
 */
export type CsvColumn<T> = readonly [header: string, cell: (row: T) => unknown, kind?: 'text'];
export type CsvColumns<T> = readonly CsvColumn<T>[];

/** The start of an export's file: the byte order mark and the header record. */
export function csvHead<T>(columns: CsvColumns<T>): string {
  return '\uFEFF' + record(columns.map(([header]) => csvCell(header)));
}

/** Rows of an export, each a record ending with CRLF: what follows csvHead, a batch at a time. */
export function csvRecords<T>(columns: CsvColumns<T>, rows: readonly T[]): string {
  return rows
    .map((row) => record(columns.map(([, cell, kind]) => csvCell(cell(row), kind === 'text'))))
    .join('');
}

/** A whole export's file, as the route streams it (csvHead, then csvRecords batch by batch). */
export function csvOf<T>(columns: CsvColumns<T>, rows: readonly T[]): string {
  return csvHead(columns) + csvRecords(columns, rows);
}
