import fs from 'node:fs';
import path from 'node:path';
import eligible from '../../rules/examples/eligible-application.json';
import materials from '../../rules/examples/materials-missing-agreement.json';
import {
  decideConsecutiveUnqualified,
  decideEligibility,
  decideExpenditure,
  decideGrade,
  decideMaterials,
  decideYear1Subsidy,
  defaultPolicy,
} from '@nqpf/rules';
import { EVENT_CONTRACTS } from '../../contracts/src/schemas/registry';
import { DECISION_FIELDS, decisionFieldsTable, decisionsToReplay } from './decision-fields';

const problems = (type: string, payload: unknown) =>
  decisionsToReplay(type, payload).map((d) =>
    'problem' in d ? [d.field, d.rule, d.problem] : [d.field, d.rule],
  );

describe('decisions an event type must carry (DECISION_FIELDS)', () => {
  const eligibility = decideEligibility(eligible, defaultPolicy);
  const grade = decideGrade({ score: '91' }, defaultPolicy);
  const revocationCheck = decideConsecutiveUnqualified(
    { grades: [{ year: 2027, grade: '合格' }] },
    defaultPolicy,
  );
  const decided = { applicationId: 'c1', eligible: true, decidedAt: '2026-03-20T02:00:00Z' };

  it('takes a whole decision in its field for one to replay', () => {
    expect(problems('review.eligibility-decided', { ...decided, decision: eligibility })).toEqual([
      ['decision', 'eligibility'],
    ]);
  });

  it.each([
    ['null', { ...decided, decision: null }, 'decision is null'],
    ['absent', decided, 'decision is absent'],
    ['a string', { ...decided, decision: 'eligible' }, 'decision is a string'],
    ['without a rule', { ...decided, decision: { ...eligibility, rule: undefined } }, 'decision has no rule'],
  ])('counts a removed decision (%s) as a mismatch, not a decision fewer', (_case, payload, what) => {
    expect(problems('review.eligibility-decided', payload)).toEqual([
      [
        'decision',
        'eligibility',
        `missing decision: ${what}, where review.eligibility-decided records the eligibility decision`,
      ],
    ]);
  });

  it('counts any object with a string rule in the field as a stripped decision, naming what it lacks', () => {
    const { inputs: _i, outcome: _o, ...stripped } = eligibility;
    expect(problems('review.eligibility-decided', { ...decided, decision: stripped })).toEqual([
      ['decision', 'eligibility', 'not a whole decision record (lacks inputs, outcome)'],
    ]);
    expect(problems('review.eligibility-decided', { ...decided, decision: { rule: 'eligibility' } })).toEqual(
      [
        [
          'decision',
          'eligibility',
          'not a whole decision record (lacks rulesetVersion, policyVersion, inputs, outcome, reasons)',
        ],
      ],
    );
  });

  it('counts a whole decision of another rule in the field as a mismatch', () => {
    expect(problems('review.eligibility-decided', { ...decided, decision: grade })).toEqual([
      [
        'decision',
        'grade-from-score',
        'a grade-from-score decision where review.eligibility-decided records the eligibility decision',
      ],
    ]);
  });

  it('lets a grade set by hand (method direct, a reason) carry a null decision, and nothing else', () => {
    const direct = {
      year: 2027,
      grade: '合格',
      method: 'direct',
      reason: '现场核查后评定',
      decision: null,
      revocationCheck,
    };
    expect(problems('assessment.assessment-completed', direct)).toEqual([
      ['revocationCheck', 'consecutive-unqualified'],
    ]);
    const missing = (payload: object) =>
      problems('assessment.assessment-completed', payload).map(([field, , problem]) => [field, problem]);
    const gradeMissing = [
      'decision',
      expect.stringMatching(
        /^missing decision: decision is (null|absent), where assessment.assessment-completed/,
      ),
    ];
    expect(missing({ ...direct, method: 'score' })).toEqual([gradeMissing, ['revocationCheck', undefined]]);
    expect(missing({ ...direct, reason: ' ' })).toEqual([gradeMissing, ['revocationCheck', undefined]]);
    const { decision: _d, ...absent } = direct;
    expect(missing(absent)).toEqual([gradeMissing, ['revocationCheck', undefined]]);
    expect(missing({ ...direct, revocationCheck: null })).toEqual([
      ['revocationCheck', expect.stringMatching(/^missing decision: revocationCheck is null/)],
    ]);
    const qualified = decideGrade({ score: '65' }, defaultPolicy);
    const scored = {
      method: 'score',
      indicators: [{ name: 'overall', score: qualified.inputs.score }],
      reason: null,
      score: qualified.inputs.score,
      decision: qualified,
    };
    expect(missing({ ...direct, ...scored })).toEqual([
      ['decision', undefined],
      ['revocationCheck', undefined],
    ]);
  });

  it('counts an event that does not do what its sound decision decided as a mismatch, naming what differs', () => {
    expect(eligibility.outcome.eligible).toBe(true);
    expect(
      problems('review.eligibility-decided', { ...decided, eligible: false, decision: eligibility }),
    ).toEqual([
      [
        'decision',
        'eligibility',
        'the event does not do what its decision decided: `eligible` = outcome `eligible` (recorded false, decided true)',
      ],
    ]);
    const year1 = decideYear1Subsidy({ approvedCostsFen: '100000000' }, defaultPolicy);
    const grant = {
      supportYear: 1,
      amountFen: year1.outcome.amountFen,
      policyVersion: defaultPolicy.version,
      basis: { kind: 'year1-costs', declarationId: 'd-1', approvedFen: '100000000' },
      decision: year1,
    };
    expect(problems('finance.grant-decided', grant)).toEqual([['decision', 'subsidy-year1']]);
    const [[, , problem]] = problems('finance.grant-decided', {
      ...grant,
      amountFen: '300000000',
      policyVersion: 'policy-2027.1',
    });
    expect(problem).toContain(
      `\`amountFen\` = outcome \`amountFen\` (recorded "300000000", decided "${year1.outcome.amountFen}")`,
    );
    expect(problem).toContain('`policyVersion` = the decision\'s `policyVersion` (recorded "policy-2027.1"');
    // The event's type says what the decision must have said: a rejection under an accepting decision.
    const spending = decideExpenditure(
      {
        category: 'rent',
        amountFen: '100',
        disbursedFen: '1000',
        spentOn: '2026-05-10',
        supportYear: 1,
        calendarYear: 2026,
        decidedOn: '2026-06-01',
      },
      defaultPolicy,
    );
    expect(spending.outcome.accepted).toBe(true);
    const spent = {
      category: 'rent',
      amountFen: '100',
      supportYear: 1,
      spentOn: '2026-05-10',
      decision: spending,
    };
    expect(problems('finance.expenditure-accepted', spent)).toEqual([['decision', 'expenditure']]);
    expect(problems('finance.expenditure-rejected', spent)).toEqual([
      [
        'decision',
        'expenditure',
        expect.stringContaining('outcome `accepted` is false (recorded false, decided true)'),
      ],
    ]);
  });

  it('lets a return for supplement by hand (written reasons) carry no materials decision, but not a null one', () => {
    const byHand = { applicationId: 'c1', missing: [], reasons: ['协议未盖章'] };
    expect(problems('intake.application-returned-for-supplement', byHand)).toEqual([]);
    expect(problems('intake.application-returned-for-supplement', { ...byHand, reasons: [] })).toHaveLength(
      1,
    );
    const nulled = problems('intake.application-returned-for-supplement', {
      ...byHand,
      materialsDecision: null,
    });
    expect(nulled).toEqual([
      ['materialsDecision', 'materials', expect.stringContaining('materialsDecision is null')],
    ]);
    const decision = decideMaterials(materials, defaultPolicy);
    const automated = {
      ...byHand,
      missing: decision.outcome.missing,
      reasons: decision.reasons.filter((r) => !r.passed).map((r) => r.message.zh),
      materialsDecision: decision,
    };
    expect(problems('intake.application-returned-for-supplement', automated)).toEqual([
      ['materialsDecision', 'materials'],
    ]);
  });

  it('still finds decisions by shape outside the listed fields and in event types not listed', () => {
    const { reasons: _r, ...stripped } = grade;
    expect(
      problems('test.noted', { nested: { check: grade }, other: stripped, revocation: { rule: 'A16' } }),
    ).toEqual([
      ['other', 'grade-from-score', 'not a whole decision record (lacks reasons)'],
      ['nested.check', 'grade-from-score'],
    ]);
    // finance.support-stopped names the revocation's article in `rule`: not a decision.
    expect(
      problems('finance.support-stopped', { rule: 'A17.3b', reason: 'consecutive-unqualified' }),
    ).toEqual([]);
  });

  it('lists every decision field the event contracts define, with an exception where one may lack it', () => {
    // A contract field shaped as a decision record; one optional or nullable there may go without.
    const shape = ['rule', 'rulesetVersion', 'policyVersion', 'inputs', 'outcome', 'reasons'];
    const inContracts = EVENT_CONTRACTS.flatMap(({ type, payload }) =>
      Object.entries(payload.properties ?? {})
        .filter(([, schema]) => shape.every((k) => Object.hasOwn(schema.properties ?? {}, k)))
        .map(([field, schema]) => {
          const nullable = Array.isArray(schema.type) && schema.type.includes('null');
          return `${type} ${field}${!payload.required?.includes(field) || nullable ? ' (may lack)' : ''}`;
        }),
    );
    const listed = DECISION_FIELDS.map((f) => `${f.eventType} ${f.field}${f.exception ? ' (may lack)' : ''}`);
    expect(listed.sort()).toEqual(inContracts.sort());
  });

  it('reads payloads in the only layout published: schema version 1 of every type', () => {
    // DECISION_FIELDS, stream-facts.ts and cross-store.ts read payloads by field name, keyed by type
    // alone. Publishing a v2 of a type means keying what they read of it by contractKey(type, version)
    // first (or a replay reads v2 with v1's layout); then this list grows by the versions they learnt.
    const readByVersion = EVENT_CONTRACTS.filter((c) => c.schemaVersion !== 1).map((c) => c.type);
    expect(readByVersion).toEqual([]);
  });

  it('lists each event type and field once', () => {
    const keys = DECISION_FIELDS.map((f) => `${f.eventType} ${f.field}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is the table docs/audit.md gives auditors', () => {
    const docs = fs.readFileSync(path.resolve(__dirname, '../../../docs/audit.md'), 'utf8');
    expect(docs).toContain(`${decisionFieldsTable()}\n`);
  });
});
