import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from './envelope';
import { type FileOps, writeAtomically } from '../../../examples/write-atomically';
import {
  applyEvent,
  type CenterRow,
  type CenterRows,
  fromCsv,
  PassedOverTypes,
  readAsNumberBySpreadsheets,
  toCsv,
} from '../../../examples/recognised-centers-rows';
import { readAsNumberBySpreadsheets as registryReadsAsNumber } from '../../../apps/registry/src/standing/csv';
import { assessmentExamples, reviewExamples } from './schemas/testing/decided-examples';
import { exampleEnvelope } from './schemas/testing/example-envelope';

/** The first event of a type the deciders produce, as it would arrive (centerId = app-1 for both). */
function produced(type: string, examples: ReturnType<typeof reviewExamples>): EventEnvelope {
  for (const { events } of examples) {
    const event = events.find((e) => e.type === type);
    if (event) return exampleEnvelope(event, 'app-1');
  }
  throw new Error(`no example of ${type}`);
}

const recognised = produced('review.center-recognized', reviewExamples());
const revokedEvent = produced('assessment.center-revoked', assessmentExamples());
// The assessment fixtures use their own center id; make the revocation about the recognised center.
const revoked: EventEnvelope = {
  ...revokedEvent,
  payload: { ...(revokedEvent.payload as object), centerId: 'app-1' },
};

function applyAll(...events: EventEnvelope[]): CenterRows {
  return events.reduce<CenterRows>((rows, e) => applyEvent(rows, e).rows, new Map());
}

describe('example consumer: recognised centers CSV', () => {
  it('adds a row when a center is recognised', () => {
    expect(toCsv(applyAll(recognised))).toBe(
      '\uFEFFcenterId,status,recognitionDate,district,operatorName,operatorCreditCode,revokedOn,revocationRule\r\n' +
        `app-1,recognised,2026-02-10,南关区,Changchun NQPF Operations Ltd,${creditCodeOf(recognised)},,\r\n`,
    );
  });

  it('marks the row revoked, keeping what recognition recorded', () => {
    const row = applyAll(recognised, revoked).get('app-1');
    expect(row).toMatchObject({
      status: 'revoked',
      recognitionDate: '2026-02-10',
      district: '南关区',
      revokedOn: (revoked.payload as { revokedOn: string }).revokedOn,
      revocationRule: (revoked.payload as { ruleId: string }).ruleId,
    });
  });

  it('ends the same whichever topic is read first', () => {
    expect(toCsv(applyAll(revoked, recognised))).toBe(toCsv(applyAll(recognised, revoked)));
  });

  it('changes nothing when an event is delivered again', () => {
    const rows = applyAll(recognised, revoked);
    expect(applyEvent(rows, recognised)).toEqual({ rows, changed: false });
    expect(applyEvent(rows, revoked)).toEqual({ rows, changed: false });
  });

  it('ignores the other events on the topics', () => {
    const other = produced('review.candidacy-opened', reviewExamples());
    const applied = applyEvent(new Map(), other);
    expect(applied).toMatchObject({
      changed: false,
      ignored: expect.stringContaining('review.candidacy-opened'),
    });
  });

  it('logs each type it passes over once per run, saying when its contracts do not know the type', () => {
    const passedOver = new PassedOverTypes();
    const note = (at: string, event: EventEnvelope) =>
      passedOver.note(at, event, applyEvent(new Map(), event));
    const other = produced('review.candidacy-opened', reviewExamples());
    const unknown: EventEnvelope = { ...other, type: 'review.center-reinstated' };
    expect(note('nqpf.review.events[0]@3', other)).toBe(
      'nqpf.review.events[0]@3: passing over review.candidacy-opened, not a type this consumer reads; ' +
        'logged once per run',
    );
    expect(note('nqpf.review.events[1]@8', other)).toBeUndefined();
    expect(note('nqpf.review.events[0]@4', recognised)).toBeUndefined(); // read, not passed over
    expect(note('nqpf.review.events[0]@5', unknown)).toBe(
      "nqpf.review.events[0]@5: passing over review.center-reinstated, a type this consumer's contracts do " +
        'not know (newer than it: see docs/releases.md whether it changes recognitions or revocations); ' +
        'logged once per run',
    );
    expect(note('nqpf.review.events[0]@6', unknown)).toBeUndefined();
    // Another run (a new instance) logs them again.
    expect(
      new PassedOverTypes().note('nqpf.review.events[1]@9', other, applyEvent(new Map(), other)),
    ).toMatch(/^nqpf\.review\.events\[1\]@9: passing over review\.candidacy-opened/);
  });

  it('refuses a payload that breaks the contract, naming the field', () => {
    const broken = {
      ...recognised,
      payload: { ...(recognised.payload as object), recognitionDate: '10/02/2026' },
    };
    expect(() => applyEvent(new Map(), broken)).toThrow('payload.recognitionDate: must match');
  });

  it('refuses a schema version it was not written for, rather than misreading it', () => {
    expect(() => applyEvent(new Map(), { ...recognised, schemaVersion: 2 })).toThrow(
      'review.center-recognized v2',
    );
  });

  it('reads back what it wrote, quoting separators and neutralising spreadsheet formulas', () => {
    const tricky: CenterRow = {
      centerId: 'c-2',
      status: 'recognised',
      recognitionDate: '2026-05-01',
      district: '朝阳区',
      operatorName: '=HYPERLINK("x"), "Ltd"\nline 2',
      operatorCreditCode: '91220101MA0000002X',
      revokedOn: '',
      revocationRule: '',
    };
    const tabbed: CenterRow = { ...tricky, centerId: 'c-3', operatorName: '\t=1+1' };
    const rows = new Map(applyAll(recognised)).set('c-2', tricky).set('c-3', tabbed);
    const csv = toCsv(rows);
    expect(csv).toContain(`"'=HYPERLINK(""x""), ""Ltd""\nline 2"`);
    expect(csv).toContain(`'\t=1+1`);
    // A byte order mark, so Excel on a Chinese Windows reads UTF-8, not GBK.
    expect(csv.startsWith('\uFEFFcenterId,')).toBe(true);
    expect(fromCsv(csv)).toEqual(rows);
  });

  it('keeps ids, names and all-digit credit codes text in spreadsheets (a leading tab), and reads them back', () => {
    const digits: CenterRow = {
      centerId: '000123',
      status: 'recognised',
      recognitionDate: '2026-05-01',
      district: '南关区',
      operatorName: '2026',
      operatorCreditCode: '912201011234567890',
      revokedOn: '',
      revocationRule: '',
    };
    const lettered: CenterRow = { ...digits, centerId: 'c-4', operatorCreditCode: '91220101MA0000002X' };
    const own: CenterRow = { ...digits, centerId: 'c-5', operatorCreditCode: '\t912201011234567890' };
    const rows = new Map([
      ['000123', digits],
      ['c-4', lettered],
      ['c-5', own],
    ]);
    const lines = toCsv(rows).split('\r\n');
    // Excel and LibreOffice would read these as numbers (a float, 123): a tab inside quotes keeps them text.
    // The dates stay dates; a code with letters, the district and the status need nothing.
    expect(lines[1]).toBe('"\t000123",recognised,2026-05-01,南关区,"\t2026","\t912201011234567890",,');
    expect(lines[2]).toBe('c-4,recognised,2026-05-01,南关区,"\t2026",91220101MA0000002X,,');
    // A value's own leading tab is a formula start: it gets the `'`, so a leading tab is always the writer's.
    expect(lines[3]).toBe(`c-5,recognised,2026-05-01,南关区,"\t2026",'\t912201011234567890,,`);
    expect(fromCsv(toCsv(rows))).toEqual(rows);
  });

  it('decides what a spreadsheet reads as a number exactly as the registry’s exports do', () => {
    const values = [
      '912201011234567890',
      '91220101MA0000002X',
      '20261115000012345678',
      '000123',
      '1.10',
      '1e5',
      '1E+05',
      '2026-05-01',
      '5月1日',
      '12:30',
      '2 PM',
      '下午 2:30',
      'Jan-26',
      'SEPT1',
      '12%',
      '(123)',
      'TRUE',
      'false',
      '１２３',
      ' 42 ',
      'app-1',
      'c-0193',
      '南关区',
      'Changchun NQPF Operations Ltd',
      'A17.3b',
      'May Holdings 2',
      '',
    ];
    const example = values.map((v) => [v, readAsNumberBySpreadsheets(v)]);
    expect(example).toEqual(values.map((v) => [v, registryReadsAsNumber(v)]));
    expect(example.filter(([, number]) => number)).toHaveLength(19);
  });

  it('starts empty from an empty file and refuses a file with other columns', () => {
    expect(fromCsv('')).toEqual(new Map());
    expect(() => fromCsv('id,name\r\n1,x\r\n')).toThrow('unexpected CSV header');
  });
});

function creditCodeOf(envelope: EventEnvelope): string {
  return (envelope.payload as { operator: { creditCode: string } }).operator.creditCode;
}

describe('example consumer: the CSV written durably before the offset is committed', () => {
  /** Real file operations on a temporary directory, each recorded with the file it touched. */
  function recording(dir: string) {
    const calls: string[] = [];
    const names = new Map<number, string>();
    const name = (p: fs.PathLike) => String(p).replace(dir, '<dir>');
    const ops: FileOps = {
      openSync: ((p: fs.PathLike, flags: fs.OpenMode) => {
        const fd = fs.openSync(p, flags);
        names.set(fd, name(p));
        calls.push(`open ${name(p)}`);
        return fd;
      }) as FileOps['openSync'],
      writeSync: ((fd: number, text: string) => {
        calls.push(`write ${names.get(fd)}`);
        return fs.writeSync(fd, text);
      }) as FileOps['writeSync'],
      fsyncSync: (fd) => {
        calls.push(`fsync ${names.get(fd)}`);
        fs.fsyncSync(fd);
      },
      closeSync: (fd) => {
        calls.push(`close ${names.get(fd)}`);
        fs.closeSync(fd);
      },
      renameSync: (from, to) => {
        calls.push(`rename ${name(from)} ${name(to)}`);
        fs.renameSync(from, to);
      },
    };
    return { ops, calls };
  }

  it('flushes the file before the rename and the directory after it, so the rename survives a power cut', () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'recognised-centers-'));
    try {
      const { ops, calls } = recording(dir);
      writeAtomically(join(dir, 'c.csv'), 'first', ops);
      writeAtomically(join(dir, 'c.csv'), 'second', ops);
      expect(fs.readFileSync(join(dir, 'c.csv'), 'utf8')).toBe('second');
      expect(fs.readdirSync(dir)).toEqual(['c.csv']);
      // The rename is in the directory, not the file: until the directory is flushed (or the journal
      // commits, seconds later on ext4) a power cut can bring back the old file after the offset is
      // committed, and the event is lost for good. The order is what can be checked without cutting power.
      expect(calls.slice(calls.length / 2)).toEqual([
        'open <dir>/c.csv.tmp',
        'write <dir>/c.csv.tmp',
        'fsync <dir>/c.csv.tmp',
        'close <dir>/c.csv.tmp',
        'rename <dir>/c.csv.tmp <dir>/c.csv',
        'open <dir>',
        'fsync <dir>',
        'close <dir>',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
