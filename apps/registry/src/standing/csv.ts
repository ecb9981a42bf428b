/** Starts a spreadsheet formula when a cell begins with it (Excel, WPS, LibreOffice). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * RFC 4180 CSV: every field quoted when it holds a comma, quote or line break; CRLF between records. Text
 * that a spreadsheet would run as a formula (an operator can name a center `=HYPERLINK(…)`) gets a leading
 * `'`, which makes it plain text there; numbers, negative ones included, are left as they are. The file
 * starts with a byte order mark: without it Excel on a Chinese Windows reads UTF-8 as GBK (garbled names).
 */
export function toCsv(header: string[], rows: unknown[][]): string {
  const field = (value: unknown): string => {
    const raw =
      value === null || value === undefined
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    const text = FORMULA_START.test(raw) && !NUMBER.test(raw) ? `'${raw}` : raw;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return '\uFEFF' + [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * An export's columns, each a header and how a row gives its cell. Spreadsheets built on a file read
 * columns by position: a new column goes at the end, never between existing ones.
 */
export type CsvColumns<T> = readonly (readonly [string, (row: T) => unknown])[];

export function csvOf<T>(columns: CsvColumns<T>, rows: T[]): string {
  return toCsv(
    columns.map(([header]) => header),
    rows.map((row) => columns.map(([, cell]) => cell(row))),
  );
}
