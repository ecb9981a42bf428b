import {
  AssessmentCompletedV1,
  AssessmentRevisedV1,
  CenterRecognizedV1,
  CenterRevokedV1,
} from '@nqpf/contracts';
import { InvalidInputError } from '@nqpf/domain';
import { shanghaiDateOf } from '@nqpf/rules';
import {
  policyByVersion,
  policyInForceOn,
  PolicyBookState,
} from '../../domain/policy-book/policy-book.decider';
import {
  GrantOnAssessment,
  OpenAccount,
  ReviseGrantOnAssessment,
  StopSupport,
} from '../../domain/subsidy-account/subsidy-account.commands';
import type { SubsidyAccountState } from '../../domain/subsidy-account/subsidy-account.state';
import { standingGrant } from '../../domain/subsidy-account/subsidy-account.ledger';

/**
 * What finance does with other services' events, as pure translations to its own commands. The policy
 * used is the one in force on the event's decision date, taken from the policy book.
 */

/** review.center-recognized → open the subsidy account (A12.1). */
export function openOnRecognition(p: CenterRecognizedV1, policies: PolicyBookState): OpenAccount {
  return {
    kind: 'open',
    centerId: p.centerId,
    district: p.district,
    operatorId: p.operator.accountId,
    recognizedOn: p.recognitionDate,
    // The version review recorded (reporting and assessment use the same); looked up for older recognitions.
    policy:
      p.policyVersion === undefined
        ? policyInForceOn(policies, p.recognitionDate)
        : requireVersion(policies, p.policyVersion),
  };
}

/**
 * assessment.assessment-completed → grant the next support year (A12.3); null when the assessed year lies
 * outside the support period (nothing to grant). The decision date is the assessment date.
 */
export function grantOnAssessment(
  p: AssessmentCompletedV1,
  policies: PolicyBookState,
  entryId: string,
): GrantOnAssessment | null {
  if (p.supportYear === null) return null;
  const decidedOn = shanghaiDateOf(p.assessedOn, 'assessedOn');
  return {
    kind: 'grant-on-assessment',
    assessedYear: p.year,
    assessedSupportYear: p.supportYear,
    grade: p.grade,
    decidedOn,
    entryId,
    policy: policyInForceOn(policies, decidedOn),
  };
}

/**
 * assessment.assessment-revised → the grant the year's grade decided (support year n + 1) is decided again
 * on the corrected grade (A12.3), under the version the grant standing was decided under; with no grant
 * standing, under the version in force on the revision day (as a grant on the assessment would be). Null
 * when the year lies outside the support period (no grant rests on it).
 */
export function reviseGrantOnAssessment(
  p: AssessmentRevisedV1,
  policies: PolicyBookState,
  account: SubsidyAccountState,
  ids: { reversalEntryId: string; entryId: string },
): ReviseGrantOnAssessment | null {
  if (p.supportYear === null) return null;
  const revisedOn = shanghaiDateOf(p.revisedOn, 'revisedOn');
  const standing = account.status === 'none' ? undefined : standingGrant(account, p.supportYear + 1);
  return {
    kind: 'revise-grant-on-assessment',
    assessedYear: p.year,
    assessedSupportYear: p.supportYear,
    previousGrade: p.previousGrade,
    grade: p.grade,
    reason: p.reason,
    revisedOn,
    ...ids,
    policy: standing?.policyVersion
      ? requireVersion(policies, standing.policyVersion)
      : policyInForceOn(policies, revisedOn),
  };
}

/** assessment.center-revoked → stop support for good (A16, A17.3). */
export function stopOnRevocation(p: CenterRevokedV1): StopSupport {
  if (!p.ruleId) throw new InvalidInputError('ruleId', 'a revocation names its rule');
  return {
    kind: 'stop-support',
    revokedOn: p.revokedOn,
    rule: p.ruleId,
    reason: `${p.reason}: ${p.explanation.en}`,
  };
}

function requireVersion(policies: PolicyBookState, version: string) {
  const policy = policyByVersion(policies, version);
  if (!policy)
    throw new InvalidInputError('policyVersion', `policy ${version} is not in finance's policy book`);
  return policy;
}
