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

function csvField(value: string): string {
  // Quote fields with separators, quotes or line breaks; a formula start is neutralised for spreadsheets.
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

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
    ...sorted.map((r) => CSV_COLUMNS.map((c) => csvField(r[c])).join(',')),
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
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, unneutralise(fields[i] ?? '')]));
    rows.set(row.centerId!, row as unknown as CenterRow);
  }
  return rows;
}

function unneutralise(value: string): string {
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
