import { inputErrorField } from './input-error-field.spec-helper';
import { DEFAULT_POLICY } from './policy/default-policy';
import { defaultPolicy } from './policy/policy-registry';
import { validatePolicy } from './policy/validate-policy';
import {
  decideConsecutiveUnqualified,
  decideOperatingDeadline,
  decideOperationStartDeclaration,
  operationStartDeclarationsClose,
} from './revocation';

describe('operating deadline (A17.3a)', () => {
  const decide = (input: unknown) => decideOperatingDeadline(input, defaultPolicy);

  it.each([
    [
      '11: started on the deadline day',
      { recognizedOn: '2026-03-10', operationStartedOn: '2028-03-10' },
      'started-in-time',
      false,
    ],
    [
      '11: started the day after',
      { recognizedOn: '2026-03-10', operationStartedOn: '2028-03-11' },
      'missed',
      true,
    ],
    [
      '11: never started, asked the day after',
      { recognizedOn: '2026-03-10', operationStartedOn: null, asOf: '2028-03-11' },
      'missed',
      true,
    ],
    [
      'never started, asked on the deadline day',
      { recognizedOn: '2026-03-10', asOf: '2028-03-10' },
      'pending',
      false,
    ],
    [
      'started on the recognition day itself',
      { recognizedOn: '2026-03-10', operationStartedOn: '2026-03-10' },
      'started-in-time',
      false,
    ],
    [
      'started early',
      { recognizedOn: '2026-03-10', operationStartedOn: '2026-03-11' },
      'started-in-time',
      false,
    ],
  ])('case %s', (_name, input, status, revoke) => {
    const d = decide(input);
    expect(d.outcome).toMatchObject({ status, revoke });
    expect(d.reasons[0]).toMatchObject({ ruleId: 'A17.3', passed: !revoke });
  });

  it('puts a 29 February recognition deadline on 28 February (Civil Code art. 202)', () => {
    expect(decide({ recognizedOn: '2028-02-29', asOf: '2028-03-01' }).outcome.deadline).toBe('2030-02-28');
  });

  it.each([
    [{ recognizedOn: '2026-03-10' }, 'asOf'],
    [{ recognizedOn: '2026-3-10', asOf: '2026-04-01' }, 'recognizedOn'],
    [{ recognizedOn: '2026-03-10', operationStartedOn: '2026-03-09' }, 'operationStartedOn'],
  ])('rejects invalid input naming the field', (input, field) => {
    expect(inputErrorField(() => decide(input))).toBe(field);
  });
});

describe('declaring the start of operation (A17.3a: the fact counts, not the day it is declared)', () => {
  const decide = (operationStartedOn: string, declaredOn: string, policy = defaultPolicy) =>
    decideOperationStartDeclaration({ recognizedOn: '2026-03-10', operationStartedOn, declaredOn }, policy);

  it.each([
    ['11: a start on the deadline day, declared that day', '2028-03-10', '2028-03-10', true],
    ['11: a start on the deadline day, declared the day after', '2028-03-10', '2028-03-11', true],
    ['a start on the deadline day, declared on the last day to declare', '2028-03-10', '2028-03-25', true],
    ['a start on the deadline day, declared the day after that', '2028-03-10', '2028-03-26', false],
    ['an early start declared late', '2027-01-04', '2028-03-26', false],
    ['11: a start the day after the deadline, declared that day', '2028-03-11', '2028-03-11', false],
    [
      'a start the day after the deadline, declared within the days to declare',
      '2028-03-11',
      '2028-03-20',
      false,
    ],
  ])('case %s', (_name, startedOn, declaredOn, accepted) => {
    const d = decide(startedOn, declaredOn);
    expect(d).toMatchObject({
      rule: 'operation-start-declaration',
      policyVersion: defaultPolicy.version,
      inputs: { recognizedOn: '2026-03-10', operationStartedOn: startedOn, declaredOn },
      outcome: { deadline: '2028-03-10', declarationDays: 15, declarationsCloseOn: '2028-03-25', accepted },
    });
    expect(d.reasons.map((r) => [r.criterion, r.passed])).toEqual([
      ['operatingDeadline', startedOn <= '2028-03-10'],
      ['startDeclaredBy', declaredOn <= '2028-03-25'],
    ]);
    expect(d.reasons[1]!.threshold).toBe('<= 2028-03-25 (2028-03-10 + 15 days)');
  });

  it('takes the days from the policy: 0 closes declarations on the deadline day', () => {
    const none = validatePolicy({
      ...DEFAULT_POLICY,
      version: 'policy-none',
      operationStartDeclarationDays: 0,
    });
    expect(operationStartDeclarationsClose('2026-03-10', none)).toBe('2028-03-10');
    expect(decide('2028-03-10', '2028-03-10', none).outcome).toMatchObject({
      accepted: true,
      declarationDays: 0,
    });
    expect(decide('2028-03-10', '2028-03-11', none).outcome).toMatchObject({
      accepted: false,
      declarationsCloseOn: '2028-03-10',
    });
  });

  it('reads a version without the number (published before it existed) with the default 15', () => {
    const { operationStartDeclarationDays: _added, ...before } = DEFAULT_POLICY;
    const older = validatePolicy({ ...before, version: 'policy-older' });
    expect(decide('2028-03-10', '2028-03-25', older).outcome).toMatchObject({
      accepted: true,
      declarationDays: 15,
    });
  });

  it('puts the last day to declare after a 29 February recognition 15 days after 28 February', () => {
    expect(operationStartDeclarationsClose('2028-02-29', defaultPolicy)).toBe('2030-03-15');
  });

  it.each([
    [
      { recognizedOn: '2026-03-10', operationStartedOn: '2026-03-09', declaredOn: '2026-03-10' },
      'operationStartedOn',
    ],
    [
      { recognizedOn: '2026-03-10', operationStartedOn: '2026-05-02', declaredOn: '2026-05-01' },
      'operationStartedOn',
    ],
    [{ recognizedOn: '2026-03-10', declaredOn: '2026-05-01' }, 'operationStartedOn'],
    [{ recognizedOn: '2026-03-10', operationStartedOn: '2026-05-01' }, 'declaredOn'],
  ])('rejects invalid input naming the field', (input, field) => {
    expect(inputErrorField(() => decideOperationStartDeclaration(input, defaultPolicy))).toBe(field);
  });
});

describe('consecutive unqualified grades (A17.3b)', () => {
  const decide = (grades: unknown) => decideConsecutiveUnqualified({ grades }, defaultPolicy);

  it.each([
    [
      '9: 不合格 2027 and 2028',
      [
        { year: 2027, grade: '不合格' },
        { year: 2028, grade: '不合格' },
      ],
      true,
      2028,
    ],
    [
      '10: 不合格 2027, 合格 2028, 不合格 2029',
      [
        { year: 2027, grade: '不合格' },
        { year: 2028, grade: '合格' },
        { year: 2029, grade: '不合格' },
      ],
      false,
      null,
    ],
    [
      'unqualified years not adjacent',
      [
        { year: 2029, grade: '不合格' },
        { year: 2027, grade: '不合格' },
      ],
      false,
      null,
    ],
    ['one unqualified year', [{ year: 2027, grade: '不合格' }], false, null],
    ['no grades yet', [], false, null],
  ])('case %s', (_name, grades, revoke, after) => {
    const d = decide(grades);
    expect(d.outcome.revoke).toBe(revoke);
    expect(d.outcome.revokedAfterYear).toBe(after);
    expect(d.reasons[0]).toMatchObject({
      ruleId: 'A17.3',
      criterion: 'consecutiveUnqualified',
      passed: !revoke,
    });
  });

  it('sorts grades by year in the recorded inputs', () => {
    const d = decide([
      { year: 2028, grade: '不合格' },
      { year: 2027, grade: '不合格' },
    ]);
    expect(d.inputs.grades.map((g) => g.year)).toEqual([2027, 2028]);
    expect(d.outcome.revoke).toBe(true);
  });

  it.each([
    [[{ year: 2027, grade: 'D' }], 'grades[0].grade'],
    [
      [
        { year: 2027, grade: '合格' },
        { year: 2027, grade: '良好' },
      ],
      'grades',
    ],
    ['x', 'grades'],
  ])('rejects invalid grades naming the field', (grades, field) => {
    expect(inputErrorField(() => decide(grades))).toBe(field);
  });
});
