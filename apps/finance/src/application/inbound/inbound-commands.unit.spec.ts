import {
  AssessmentCompletedV1,
  AssessmentRevisedV1,
  CenterRecognizedV1,
  CenterRevokedV1,
} from '@nqpf/contracts';
import { foldEvents } from '@nqpf/domain';
import { DEFAULT_POLICY } from '@nqpf/rules';
import { policyBookDecider } from '../../domain/policy-book/policy-book.decider';
import { subsidyAccountDecider } from '../../domain/subsidy-account/subsidy-account.decider';
import { assessed, open } from '../../domain/subsidy-account/testing/given';
import {
  grantOnAssessment,
  openOnRecognition,
  reviseGrantOnAssessment,
  stopOnRevocation,
} from './inbound-commands';

const book = foldEvents(
  policyBookDecider,
  policyBookDecider.decide(
    {
      kind: 'publish',
      policy: { ...DEFAULT_POLICY, version: 'policy-2027.1', effectiveFrom: '2027-01-01' },
      publishedOn: '2026-12-01',
      reason: '2027 budget',
    },
    policyBookDecider.initialState(),
  ),
);

const assessment = (patch: Partial<AssessmentCompletedV1>) =>
  ({
    centerId: 'c1',
    year: 2026,
    supportYear: 1,
    grade: '良好',
    assessedOn: '2027-03-02',
    ...patch,
  }) as AssessmentCompletedV1;

describe('inbound events become finance commands', () => {
  it('opens the account on recognition with the policy in force on the recognition date', () => {
    const recognized = {
      centerId: 'c1',
      recognitionDate: '2026-03-10',
      district: '朝阳区',
      operator: { accountId: 'op-1', name: 'X', creditCode: 'Y' },
      callId: 'call-1',
    } as CenterRecognizedV1;
    expect(openOnRecognition(recognized, book)).toMatchObject({
      kind: 'open',
      centerId: 'c1',
      operatorId: 'op-1',
      recognizedOn: '2026-03-10',
      policy: { version: 'policy-2026.1' },
    });
  });

  it('opens it under the policy version the recognition records, which every service uses', () => {
    const recognized = {
      centerId: 'c1',
      recognitionDate: '2027-01-05',
      district: '朝阳区',
      operator: { accountId: 'op-1', name: 'X', creditCode: 'Y' },
      callId: 'call-1',
      policyVersion: 'policy-2026.1', // review's copy had not read policy-2027.1 yet
    } as CenterRecognizedV1;
    expect(openOnRecognition(recognized, book).policy.version).toBe('policy-2026.1');
    expect(openOnRecognition({ ...recognized, policyVersion: undefined }, book).policy.version).toBe(
      'policy-2027.1',
    );
    expect(() => openOnRecognition({ ...recognized, policyVersion: 'nowhere-1' }, book)).toThrow(
      expect.objectContaining({ field: 'policyVersion' }),
    );
  });

  it('grants on an assessment with the policy in force on the assessment date', () => {
    expect(grantOnAssessment(assessment({}), book, 'e1')).toMatchObject({
      kind: 'grant-on-assessment',
      assessedYear: 2026,
      assessedSupportYear: 1,
      grade: '良好',
      decidedOn: '2027-03-02',
      entryId: 'e1',
      policy: { version: 'policy-2027.1' },
    });
  });

  it('takes the Shanghai date of an assessment instant', () => {
    const late = assessment({ assessedOn: '2026-12-31T17:00:00Z' });
    expect(grantOnAssessment(late, book, 'e1')).toMatchObject({ decidedOn: '2027-01-01' });
  });

  it('grants nothing for an assessment outside the support period', () => {
    expect(grantOnAssessment(assessment({ supportYear: null }), book, 'e1')).toBeNull();
  });

  it('stops support on revocation with its rule and reason', () => {
    const revoked = {
      centerId: 'c1',
      revokedOn: '2027-06-01',
      ruleId: 'A17.3b',
      reason: 'consecutive-unqualified',
      explanation: { zh: '连续两年不合格', en: 'unqualified two years running' },
    } as CenterRevokedV1;
    expect(stopOnRevocation(revoked)).toEqual({
      kind: 'stop-support',
      revokedOn: '2027-06-01',
      rule: 'A17.3b',
      reason: 'consecutive-unqualified: unqualified two years running',
    });
  });

  describe('a grade corrected at assessment → the grant it decided, decided again (A12.3)', () => {
    const revised = (patch: Partial<AssessmentRevisedV1> = {}) =>
      ({
        centerId: 'center-1',
        year: 2026,
        supportYear: 1,
        previousGrade: '合格',
        grade: '良好',
        reason: '录入错误',
        revisedOn: '2027-03-20',
        ...patch,
      }) as AssessmentRevisedV1;
    const ids = { reversalEntryId: 'r', entryId: 'g' };
    const account = (...commands: Parameters<typeof subsidyAccountDecider.decide>[0][]) =>
      foldEvents(
        subsidyAccountDecider,
        commands.reduce<ReturnType<typeof subsidyAccountDecider.decide>>(
          (events, c) => [
            ...events,
            ...subsidyAccountDecider.decide(c, foldEvents(subsidyAccountDecider, events)),
          ],
          [],
        ),
      );

    it('under the version the grant standing was decided under, though a later one is in force', () => {
      // Granted on 2027-03-01 under policy-2026.1 (the command says so); policy-2027.1 is in force by then.
      const granted = account(open(), assessed(1, '合格'));
      expect(reviseGrantOnAssessment(revised(), book, granted, ids)).toMatchObject({
        kind: 'revise-grant-on-assessment',
        assessedYear: 2026,
        assessedSupportYear: 1,
        previousGrade: '合格',
        grade: '良好',
        reason: '录入错误',
        revisedOn: '2027-03-20',
        reversalEntryId: 'r',
        entryId: 'g',
        policy: { version: 'policy-2026.1' },
      });
    });

    it('with no grant standing, under the version in force on the revision day; none outside support', () => {
      const opened = account(open());
      expect(reviseGrantOnAssessment(revised(), book, opened, ids)?.policy.version).toBe('policy-2027.1');
      expect(reviseGrantOnAssessment(revised({ supportYear: null }), book, opened, ids)).toBeNull();
    });
  });
});
