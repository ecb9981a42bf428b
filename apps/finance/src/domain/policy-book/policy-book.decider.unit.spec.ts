import { DomainError, foldEvents, InvalidInputError, RuleViolationError } from '@nqpf/domain';
import { DEFAULT_POLICY, POLICY_VERSION_RULE } from '@nqpf/rules';
import {
  PolicyBookCommand,
  PolicyBookEvent,
  policyBookDecider,
  policyByVersion,
  policyInForceOn,
} from './policy-book.decider';

const stateAfter = (events: PolicyBookEvent[]) => foldEvents(policyBookDecider, events);
const when = (events: PolicyBookEvent[], command: PolicyBookCommand) =>
  policyBookDecider.decide(command, stateAfter(events));
const errorOf = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('nothing thrown');
};

const v2027 = {
  ...DEFAULT_POLICY,
  version: 'policy-2027.1',
  effectiveFrom: '2027-01-01',
  annualBaseFen: '120000000',
};
const publish = (policy: unknown, publishedOn = '2026-11-01'): PolicyBookCommand => ({
  kind: 'publish',
  policy,
  publishedOn,
  reason: 'city budget 2027',
});

describe('policy book: subsidy policy versions', () => {
  it('has the RULES.md default policy in force from 2026-01-01 and none before', () => {
    expect(policyInForceOn(stateAfter([]), '2026-01-01').version).toBe('policy-2026.1');
    expect(errorOf(() => policyInForceOn(stateAfter([]), '2025-12-31'))).toBeInstanceOf(RuleViolationError);
  });

  it('publishes a version effective from a date; decisions before it keep the old one', () => {
    const events = when([], publish(v2027));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'finance.policy-published',
      schemaVersion: 1,
      payload: {
        version: 'policy-2027.1',
        effectiveFrom: '2027-01-01',
        publishedOn: '2026-11-01',
        reason: 'city budget 2027',
      },
    });
    expect(events[0]!.payload.policy).toMatchObject({
      annualBaseFen: '120000000',
      year1Rate: { num: 1, den: 2 },
    });
    const book = stateAfter(events);
    expect(policyInForceOn(book, '2026-12-31').version).toBe('policy-2026.1');
    expect(policyInForceOn(book, '2027-01-01').annualBaseFen).toBe('120000000');
    expect(policyByVersion(book, 'policy-2027.1')?.effectiveFrom).toBe('2027-01-01');
  });

  it.each([
    ['policy.year1Rate', { ...v2027, year1Rate: { num: 3, den: 2 } }],
    ['policy.annualBaseFen', { ...v2027, annualBaseFen: -5 }],
    ['policy.annualBaseFen', { ...v2027, annualBaseFen: undefined }],
    // Above what the ledger holds: a grant under it could not be recorded (its assessment dead-lettered).
    ['policy.annualBaseFen', { ...v2027, annualBaseFen: '99999999999999999999' }],
    ['policy.year1CapFen', { ...v2027, year1CapFen: '1000000000000000000' }],
    [
      'policy.gradeRatio.良好.den',
      { ...v2027, gradeRatio: { ...v2027.gradeRatio, 良好: { num: 1, den: 0 } } },
    ],
    [
      'policy.allowedExpenditureCategories[11]',
      { ...v2027, allowedExpenditureCategories: [...v2027.allowedExpenditureCategories, 'sponsorship'] },
    ],
    ['policy.effectiveFrom', { ...v2027, effectiveFrom: '2027-02-30' }],
  ])('refuses an invalid policy with 422 naming %s', (field, policy) => {
    const error = errorOf(() => when([], publish(policy)));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error.status).toBe(422);
    expect(error.details).toMatchObject({ field });
    expect(error.message).toContain(field);
  });

  it.each([
    [
      'policy.gradeRatio.不合格',
      'A17.2',
      { gradeRatio: { ...v2027.gradeRatio, 不合格: { num: 1, den: 2 } } },
    ],
    ['policy.publicityWorkingDays', 'A9.3', { publicityWorkingDays: 1 }],
    ['policy.minAreaM2', 'A6.1', { minAreaM2: '1000.00' }],
    ['policy.requiredMaterials', 'A8', { requiredMaterials: [] }],
    ['policy.requiredServices', 'A6.2', { requiredServices: [] }],
    ['policy.minBrokerShare', 'A6.4', { minBrokerShare: { num: 0, den: 1 } }],
    ['policy.supportYears', 'A12.1', { supportYears: 7 }],
    ['policy.operatingDeadlineYears', 'A17.3', { operatingDeadlineYears: 9 }],
    ['policy.annualReportDueMonthDay', 'A15', { annualReportDueMonthDay: '02-29' }],
  ])('refuses a policy loosening the measures with 422 naming %s and %s', (field, article, patch) => {
    const error = errorOf(() => when([], publish({ ...v2027, ...patch })));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error.status).toBe(422);
    expect(error.details).toMatchObject({ rule: article, field });
    expect(error.message).toContain(`${article}: ${field}: `);
  });

  it.each([
    ['5 000 characters', 'policy-2027.'.padEnd(5000, '1'), 'got 5000 characters'],
    ['CJK text', `policy-2027.${'长'.repeat(120)}`, 'got 132 characters'],
    ['a space inside', 'policy 2027.1', 'got "policy 2027.1"'],
  ])('refuses a version name of %s with 422 naming policy.version and the rule', (_, version, got) => {
    const error = errorOf(() => when([], publish({ ...v2027, version })));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error.status).toBe(422);
    expect(error.details).toMatchObject({ rule: 'policy-schema', field: 'policy.version' });
    expect(error.message).toBe(`policy-schema: policy.version: ${POLICY_VERSION_RULE}, ${got}`);
  });

  it('keeps a long version name published before names were bounded, and a retry of it changes nothing', () => {
    const long = { ...v2027, version: `policy-2027.${'长'.repeat(120)}` };
    const publishedBefore: PolicyBookEvent = {
      type: 'finance.policy-published',
      schemaVersion: 1,
      payload: {
        version: long.version,
        effectiveFrom: long.effectiveFrom,
        publishedOn: '2026-11-01',
        policy: long as unknown as Record<string, unknown>,
        reason: 'before the bound',
      },
    };
    expect(policyInForceOn(stateAfter([publishedBefore]), '2027-01-01').version).toBe(long.version);
    expect(when([publishedBefore], publish(long))).toEqual([]);
  });

  it('publishes a stricter policy (a larger area, a longer publicity)', () => {
    const stricter = { ...v2027, minAreaM2: '6000.00', publicityWorkingDays: 7 };
    expect(when([], publish(stricter))[0]!.payload.policy).toMatchObject({ minAreaM2: '6000.00' });
  });

  it('keeps a loosening version published before the check in the book, and a retry of it changes nothing', () => {
    const loose = { ...v2027, publicityWorkingDays: 1 };
    const publishedBefore: PolicyBookEvent = {
      type: 'finance.policy-published',
      schemaVersion: 1,
      payload: {
        version: loose.version,
        effectiveFrom: loose.effectiveFrom,
        publishedOn: '2026-11-01',
        policy: loose as unknown as Record<string, unknown>,
        reason: 'before the check',
      },
    };
    expect(policyByVersion(stateAfter([publishedBefore]), 'policy-2027.1')?.publicityWorkingDays).toBe(1);
    expect(when([publishedBefore], publish(loose))).toEqual([]);
  });

  it.each(['2027-01-02', '2027-01-01'])('refuses a policy taking effect before the day after %s', (on) => {
    expect(errorOf(() => when([], publish(v2027, on)))).toMatchObject({
      rule: 'policy-versioning',
      details: { field: 'policy.effectiveFrom' },
    });
    expect(when([], publish(v2027, '2026-12-31'))).toHaveLength(1);
  });

  it('treats the same version published again as a retry, and refuses it with other content', () => {
    const published = when([], publish(v2027));
    expect(when(published, publish(v2027))).toEqual([]);
    expect(errorOf(() => when(published, publish({ ...v2027, annualBaseFen: '1' })))).toMatchObject({
      details: { field: 'policy.version' },
    });
  });

  it('refuses two versions taking effect on the same day', () => {
    const published = when([], publish(v2027));
    expect(errorOf(() => when(published, publish({ ...v2027, version: 'policy-2027.2' })))).toMatchObject({
      details: { field: 'policy.effectiveFrom' },
    });
  });

  it.each([
    ['publishedOn', { ...publish(v2027), publishedOn: '1.11.2026' }],
    ['reason', { ...publish(v2027), reason: '' }],
  ])('names the bad field %s', (field, command) => {
    const error = errorOf(() => when([], command));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
  });
});
