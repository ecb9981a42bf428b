/*
 * The pure part of the example consumer: events → rows of recognised centers → CSV text, and back.
 * Applying an event is idempotent and commutes with events of the other topic (a revocation read before
 * the recognition still ends as a revoked row), so at-least-once delivery from two topics is safe.
 */
import {
  AssessmentEventSchemas,
  AssessmentEventTypes,
  type CenterRecognizedV1,
  type CenterRevokedV1,
  EVENT_CONTRACTS,
  type EventEnvelope,
  ReviewEventSchemas,
  ReviewEventTypes,
} from '@nqpf/contracts';
import { validateAgainstSchema } from '@nqpf/messaging';

export interface CenterRow {
  centerId: string;
  status: 'recognised' | 'revoked';
  recognitionDate: string;
  district: string;
  operatorName: string;
  operatorCreditCode: string;
  revokedOn: string;
  revocationRule: string;
}

export type CenterRows = ReadonlyMap<string, CenterRow>;

export const CSV_COLUMNS: readonly (keyof CenterRow)[] = [
  'centerId',
  'status',
  'recognitionDate',
  'district',
  'operatorName',
  'operatorCreditCode',
  'revokedOn',
  'revocationRule',
];

/** What applying one event did; `ignored` says why nothing changed. */
export type Applied = { rows: CenterRows; changed: boolean; ignored?: string };

const HANDLED = {
  [ReviewEventTypes.CenterRecognized]: ReviewEventSchemas[ReviewEventTypes.CenterRecognized]!,
  [AssessmentEventTypes.CenterRevoked]: AssessmentEventSchemas[AssessmentEventTypes.CenterRevoked]!,
};

function emptyRow(centerId: string): CenterRow {
  return {
    centerId,
    status: 'recognised',
    recognitionDate: '',
    district: '',
    operatorName: '',
    operatorCreditCode: '',
    revokedOn: '',
    revocationRule: '',
  };
}

/** Applies one envelope from nqpf.review.events or nqpf.assessment.events to the rows. */
export function applyEvent(rows: CenterRows, envelope: EventEnvelope): Applied {
  const schema = HANDLED[envelope.type as keyof typeof HANDLED];
  if (!schema) return { rows, changed: false, ignored: `not a type this consumer reads: ${envelope.type}` };
  // Only v1 exists; a v2 would need its own mapping (or an upcaster) before this consumer may read it.
  if (envelope.schemaVersion !== 1) {
    throw new Error(`${envelope.type} v${envelope.schemaVersion} (event ${envelope.id}) is not supported`);
  }
  const errors = validateAgainstSchema(envelope.payload, schema, 'payload');
  if (errors.length > 0) throw new Error(`event ${envelope.id} (${envelope.type}): ${errors.join('; ')}`);

  const centerId = (envelope.payload as { centerId: string }).centerId;
  const before = rows.get(centerId) ?? emptyRow(centerId);
  const after =
    envelope.type === ReviewEventTypes.CenterRecognized
      ? recognised(before, envelope.payload as CenterRecognizedV1)
      : revoked(before, envelope.payload as CenterRevokedV1);
  if (rows.has(centerId) && CSV_COLUMNS.every((c) => before[c] === after[c])) return { rows, changed: false };
  return { rows: new Map(rows).set(centerId, after), changed: true };
}

/**
 * This consumer picks out two types and passes over the others on its topics. docs/contracts/README.md
 * ("Versioning") asks such a consumer to log what it passes over, so that a new type on a topic shows in its
 * log: the first event of each type passed over is logged (where it was read, and whether the contracts
 * this consumer was built with know the type), later ones of that type are not.
 */
export class PassedOverTypes {
  private readonly seen = new Set<string>();

  /** The line to log for an event applyEvent passed over, the first time its type is; else undefined. */
  note(at: string, envelope: EventEnvelope, applied: Applied): string | undefined {
    if (applied.ignored === undefined || this.seen.has(envelope.type)) return undefined;
    this.seen.add(envelope.type);
    const known = EVENT_CONTRACTS.some((c) => c.type === envelope.type);
    return (
      `${at}: passing over ${envelope.type}, ` +
      (known
        ? 'not a type this consumer reads'
        : "a type this consumer's contracts do not know (newer than it: see docs/releases.md whether it " +
          'changes recognitions or revocations)') +
      '; logged once per run'
    );
  }
}

function recognised(row: CenterRow, p: CenterRecognizedV1): CenterRow {
  return {
    ...row,
    recognitionDate: p.recognitionDate,
    district: p.district,
    operatorName: p.operator.name,
    operatorCreditCode: p.operator.creditCode,
  };
}

function revoked(row: CenterRow, p: CenterRevokedV1): CenterRow {
  return { ...row, status: 'revoked', revokedOn: p.revokedOn, revocationRule: p.ruleId };
}

/** What a spreadsheet may take for a formula at the start of a cell (as the registry's exports guard). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Excel reads a CSV without it in the machine's code page (GBK on a Chinese Windows): 南关区 garbled. */
const BOM = '\uFEFF';

/**
 * Columns of text a spreadsheet must keep as text: ids, names, the unified social credit code. Excel and
 * LibreOffice read an all-digit credit code as a number (`912201011234567890` became 9.12201011234568E+17,
 * its last digits lost) and drop an id's leading zeros. The dates and codes of the other columns are left as
 * they are.
 */
const TEXT_COLUMNS: ReadonlySet<keyof CenterRow> = new Set([
  'centerId',
  'district',
  'operatorName',
  'operatorCreditCode',
]);

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
 * value rather than text: `912201011234567890` (a float), `000123` (123), `1.10` (1.1), `1e5`, `2026-05-01`,
 * `5月1日`, `12:30`, `12%`, `(123)`, `TRUE`; full-width digits as well. The registry's CSV exports apply
 * the same rule (apps/registry/src/standing/csv.ts, readAsNumberBySpreadsheets); this example imports no
 * service's code, so it keeps a copy, which its unit spec holds to the registry's answers.
 */
export function readAsNumberBySpreadsheets(text: string): boolean {
  const value = text.normalize('NFKC').trim();
  if (/^(true|false)$/i.test(value)) return true;
  return /\d/.test(value) && NUMERIC_REST.test(value.replace(DATE_WORDS, '').replace(EXPONENT, ''));
}

/**
 * One CSV field: quoted when it holds a separator, a quote or a line break; a formula start neutralised with
 * a leading `'`. In a text column, a value a spreadsheet would read as a number or a date gets a leading tab
 * inside quotes (`"\t912201011234567890"`), as the registry's exports write it: Excel and LibreOffice keep
 * the cell as text, every digit, and show no tab. A value of its own starting with a tab gets the `'`, so a
 * leading tab is always this one, and fromCsv drops it.
 */
function csvField(value: string, asText: boolean): string {
  if (FORMULA_START.test(value)) return quoted(`'${value}`);
  if (asText && readAsNumberBySpreadsheets(value)) return `"\t${value.replace(/"/g, '""')}"`;
  return quoted(value);
}

const quoted = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * The CSV (header + one line per center, sorted by recognition date then id), CRLF as RFC 4180 says, with
 * a byte order mark (read it as utf-8-sig).
 */
export function toCsv(rows: CenterRows): string {
  const sorted = [...rows.values()].sort(
    (a, b) => a.recognitionDate.localeCompare(b.recognitionDate) || a.centerId.localeCompare(b.centerId),
  );
  const lines = [
    CSV_COLUMNS.join(','),
    ...sorted.map((r) => CSV_COLUMNS.map((c) => csvField(r[c], TEXT_COLUMNS.has(c))).join(',')),
  ];
  return BOM + lines.join('\r\n') + '\r\n';
}

/** Reads a CSV written by toCsv back into rows (so a restarted consumer keeps what it had). */
export function fromCsv(text: string): Map<string, CenterRow> {
  const records = parseCsv(text.startsWith(BOM) ? text.slice(1) : text);
  const [header, ...body] = records;
  if (!header || header.join(',') !== CSV_COLUMNS.join(',')) {
    if (records.length === 0) return new Map();
    throw new Error(`unexpected CSV header: ${header?.join(',')}; expected ${CSV_COLUMNS.join(',')}`);
  }
  const rows = new Map<string, CenterRow>();
  for (const fields of body) {
    const row = Object.fromEntries(
      CSV_COLUMNS.map((c, i) => [c, unneutralise(fields[i] ?? '', TEXT_COLUMNS.has(c))]),
    );
    rows.set(row.centerId!, row as unknown as CenterRow);
  }
  return rows;
}

/** A field as the row held it: without csvField's leading tab (text columns) or `'` before a formula start. */
function unneutralise(value: string, asText: boolean): string {
  if (asText && value.startsWith('\t')) return value.slice(1);
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else field += ch;
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}
