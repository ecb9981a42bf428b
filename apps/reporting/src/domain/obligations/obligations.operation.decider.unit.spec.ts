import { IllegalTransitionError, NotFoundError } from '@nqpf/domain';
import { ObligationsCommand } from './obligations.types';
import { fieldOf, given, history, open, policy } from './obligations.spec-helper';

const declare = (startedOn: string, today = startedOn): ObligationsCommand => ({
  kind: 'declare-operation-start',
  startedOn,
  today,
  policy,
});
const BASIS = '现场核查：服务大厅开放，运营团队在岗（核查记录 NG-2026-031）';
const confirm = (today: string, basis: unknown = BASIS): ObligationsCommand =>
  ({ kind: 'confirm-operation-start', today, basis, policy }) as ObligationsCommand;
const reject = (today: string, reason = '现场未见运营团队'): ObligationsCommand => ({
  kind: 'reject-operation-start',
  today,
  reason,
  policy,
});

describe('obligations: operation commencement 投入运营 (A17.3a input)', () => {
  const opened = history(open('2026-03-10'));

  it('records the declared start, then the district confirmation with the two-year deadline check', () => {
    const declared = given(opened).when(declare('2026-06-01', '2026-06-03'));
    expect(declared[0]).toMatchObject({
      type: 'reporting.operation-start-declared',
      payload: { startedOn: '2026-06-01', declaredOn: '2026-06-03' },
    });
    const [started] = given([...opened, ...declared]).when(confirm('2026-06-10'));
    expect(started).toMatchObject({
      type: 'reporting.operation-started',
      payload: {
        startedOn: '2026-06-01',
        declaredOn: '2026-06-03',
        confirmedOn: '2026-06-10',
        decision: {
          rule: 'operating-deadline',
          outcome: { deadline: '2028-03-10', status: 'started-in-time' },
        },
        basis: BASIS,
      },
    });
    expect(given([...opened, ...declared, started!]).state.status).toBe('operating');
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', ' \n\t'],
  ])('refuses a confirmation whose written basis is %s, naming basis (nothing recorded)', (_, basis) => {
    const declared = history(open('2026-03-10'), declare('2026-06-01'));
    const command = { ...confirm('2026-06-10'), basis } as ObligationsCommand;
    expect(fieldOf(() => given(declared).when(command))).toBe('basis');
  });

  it('records the basis as written, trimmed', () => {
    const declared = history(open('2026-03-10'), declare('2026-06-01'));
    const [started] = given(declared).when(confirm('2026-06-10', '  核查记录 NG-2026-031 '));
    expect(started!.payload).toMatchObject({ basis: '核查记录 NG-2026-031' });
  });

  it("judges only the start the office read: another declared since (after a rejection) is a 409, and the rejection's reason stays for the operator", () => {
    const rejected = history(open('2026-03-10'), declare('2026-06-01'), reject('2026-06-05'));
    expect(given(rejected).state).toMatchObject({
      lastStartRejection: { startedOn: '2026-06-01', rejectedOn: '2026-06-05', reason: '现场未见运营团队' },
    });
    const redeclared = [...rejected, ...given(rejected).when(declare('2026-07-01'))];
    // A colleague's screen still shows the first start.
    for (const stale of [
      { ...confirm('2026-07-02'), startedOn: '2026-06-01' },
      { ...reject('2026-07-02'), startedOn: '2026-06-01' },
    ] as ObligationsCommand[])
      expect(() => given(redeclared).when(stale)).toThrow(
        'the start declared now is 2026-07-01, not 2026-06-01',
      );
    const named = { ...confirm('2026-07-02'), startedOn: '2026-07-01' } as ObligationsCommand;
    expect(given(redeclared).when(named)[0]).toMatchObject({ type: 'reporting.operation-started' });
  });

  it('records a start on the last day of the two years as in time (case 11)', () => {
    const events = history(open('2026-03-10'), declare('2028-03-10'), confirm('2028-03-10'));
    expect(events.at(-1)!.payload).toMatchObject({
      decision: { outcome: { status: 'started-in-time', revoke: false } },
    });
  });

  it('refuses a start one day after the two years (case 11: the deadline passing revokes the center)', () => {
    expect(() => given(opened).when(declare('2028-03-11'))).toThrow(
      'A17.3: a start on 2028-03-11 is after the operating deadline 2028-03-10',
    );
  });

  it('records a start on the last day of the two years declared after it as in time (case 11)', () => {
    const events = history(open('2026-03-10'), declare('2028-03-10', '2028-03-11'), confirm('2028-03-12'));
    expect(events.at(-1)!.payload).toMatchObject({
      startedOn: '2028-03-10',
      declaredOn: '2028-03-11',
      decision: { outcome: { status: 'started-in-time', revoke: false } },
    });
  });

  it('lets the district office refuse a declaration with a reason, after which the operator declares again', () => {
    const declared = history(open('2026-03-10'), declare('2026-06-01'));
    const rejected = given(declared).when(reject('2026-06-05'));
    expect(rejected[0]).toMatchObject({
      type: 'reporting.operation-start-rejected',
      payload: { startedOn: '2026-06-01', rejectedOn: '2026-06-05', reason: '现场未见运营团队' },
    });
    expect(given([...declared, ...rejected]).when(declare('2026-07-01'))[0]!.type).toBe(
      'reporting.operation-start-declared',
    );
    expect(fieldOf(() => given(declared).when(reject('2026-06-05', '')))).toBe('reason');
  });

  it('refuses to confirm or reject when nothing was declared', () => {
    expect(() => given(opened).when(confirm('2026-06-10'))).toThrow(
      'cannot confirm operation start when no operation start declared',
    );
    expect(() => given(opened).when(reject('2026-06-10'))).toThrow(IllegalTransitionError);
  });

  it('refuses a second declaration while one awaits confirmation, and any once operating', () => {
    const declared = history(open('2026-03-10'), declare('2026-06-01'));
    expect(() => given(declared).when(declare('2026-06-02'))).toThrow(
      'cannot declare operation start when operation start awaiting district confirmation',
    );
    const operating = history(open('2026-03-10'), declare('2026-06-01'), confirm('2026-06-02'));
    expect(() => given(operating).when(declare('2026-06-02'))).toThrow(
      'cannot declare operation start when center operating',
    );
    expect(() => given(operating).when(confirm('2026-06-03'))).toThrow('when center operating');
  });

  it('refuses a start date before recognition or in the future, naming startedOn', () => {
    expect(fieldOf(() => given(opened).when(declare('2026-03-09')))).toBe('startedOn');
    expect(fieldOf(() => given(opened).when(declare('2026-06-02', '2026-06-01')))).toBe('startedOn');
    expect(fieldOf(() => given(opened).when(declare('2026-06-31', '2026-07-01')))).toBe('startedOn');
  });

  it('refuses everything before recognition', () => {
    expect(() => given([]).when(declare('2026-06-01'))).toThrow(NotFoundError);
  });
});
