import { FinanceEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError } from '@nqpf/domain';
import { decideAnnualSubsidy } from '@nqpf/rules';
import { checkText } from '../shared/checks';
import {
  decideGrantOnAssessment,
  disbursedAbove,
  gradedYear,
  regrantOf,
  requireGrade,
} from './decide-grants';
import { ReviseGrantOnAssessment } from './subsidy-account.commands';
import { event, SubsidyAccountEvent } from './subsidy-account.events';
import { standingGrant } from './subsidy-account.ledger';
import {
  LedgerEntry,
  OpenAccountState,
  SubsidyAccountState,
  SupportYearState,
} from './subsidy-account.state';

/**
 * What a corrected grade does to the grant it decided. The grade is the year's latest, so the plan goes from
 * the grade the grant stands on to it, whatever grade the correction says it replaced (an earlier correction
 * finance held never applied, and the bureau may have corrected that one again):
 * - nothing: support has ended or stopped, or the grant already stands on the corrected grade;
 * - grant: no grant stands yet, so the grant is simply decided on the corrected grade;
 * - revise: the grant standing is reversed and decided again;
 * - held: not yet — the grant (`grantFen`) would fall below what the year has already disbursed
 *   (`disbursedFen`): those disbursements are corrected first.
 */
export type RevisionPlan =
  | { kind: 'nothing' }
  | { kind: 'grant' }
  | { kind: 'revise'; target: SupportYearState; grant: LedgerEntry; amountFen: string }
  | { kind: 'held'; because: string; grantFen: string; disbursedFen: string };

export function planRevision(command: ReviseGrantOnAssessment, state: SubsidyAccountState): RevisionPlan {
  const { account, target } = gradedYear(command, state);
  requireGrade('previousGrade', command.previousGrade);
  // Support has ended or was revoked: nothing is granted again (A16, A17.3: revocation is final).
  if (!target) return { kind: 'nothing' };
  if (target.status !== 'granted') return { kind: 'grant' };
  const basis = target.basis;
  if (basis?.kind !== 'assessment' || basis.assessedYear !== command.assessedYear)
    throw new IllegalTransitionError(
      `support year ${target.supportYear} granted on another basis`,
      `decide it again on the ${command.assessedYear} grade`,
    );
  if (basis.grade === command.grade) return { kind: 'nothing' };
  const grant = standingGrant(account, target.supportYear);
  if (!grant)
    throw new IllegalTransitionError(`support year ${target.supportYear} has no grant standing`, 'revise it');
  const amountFen = annualDecision(command, target).outcome.amountFen;
  const disbursed = disbursedAbove(account, target.supportYear, amountFen);
  if (disbursed)
    return {
      kind: 'held',
      because: `support year ${target.supportYear} has ${disbursed.toFenText()} fen disbursed, more than the grant of ${amountFen} fen on ${command.grade} (correct those disbursements first)`,
      grantFen: amountFen,
      disbursedFen: disbursed.toFenText(),
    };
  return { kind: 'revise', target, grant, amountFen };
}

function annualDecision(command: ReviseGrantOnAssessment, target: SupportYearState) {
  return decideAnnualSubsidy(
    { supportYear: target.supportYear, previousYearGrade: command.grade, revoked: false },
    command.policy,
  );
}

/**
 * A12.3, a correction: assessment corrected the grade of support year n − 1, so support year n's grant is
 * decided again on it, under the version the grant standing was decided under, as the year-1 approval is
 * revised: the grant standing is reversed, the new grant follows. Never below what the year has disbursed
 * (held until those disbursements are corrected: 409 here, held by the consumer). With no grant standing
 * yet, the grant is simply decided on the corrected grade.
 */
export function decideReviseGrantOnAssessment(
  command: ReviseGrantOnAssessment,
  state: SubsidyAccountState,
): SubsidyAccountEvent[] {
  const reason = checkText('reason', command.reason);
  const plan = planRevision(command, state);
  const account = state as OpenAccountState;
  switch (plan.kind) {
    case 'nothing':
      return [];
    // The decider's own guard of A12.3 (a grant never below what was disbursed): finance's consumer holds
    // such a correction before it comes here.
    case 'held':
      throw new IllegalTransitionError(plan.because, `decide the grant again on ${command.grade}`);
    case 'grant':
      return decideGrantOnAssessment(
        {
          kind: 'grant-on-assessment',
          assessedYear: command.assessedYear,
          assessedSupportYear: command.assessedSupportYear,
          grade: command.grade,
          decidedOn: command.revisedOn,
          entryId: command.entryId,
          policy: command.policy,
        },
        account,
      );
  }
  const { target, grant, amountFen } = plan;
  const { revisedOn, reversalEntryId, entryId } = regrantOf(account, grant, command);
  const basis = {
    kind: 'assessment' as const,
    assessedYear: command.assessedYear,
    assessedSupportYear: command.assessedSupportYear,
    grade: command.grade,
  };
  return [
    event(T.AnnualGrantRevised, {
      centerId: account.centerId,
      supportYear: target.supportYear,
      calendarYear: target.calendarYear,
      assessedYear: command.assessedYear,
      assessedSupportYear: command.assessedSupportYear,
      previousGrade: command.previousGrade,
      grade: command.grade,
      revisedOn,
      reason,
      previousGrantEntryId: grant.entryId,
      previousGrantFen: grant.amount.toFenText(),
      policyVersion: command.policy.version,
      reversalEntryId,
    }),
    event(T.GrantDecided, {
      centerId: account.centerId,
      entryId,
      supportYear: target.supportYear,
      calendarYear: target.calendarYear,
      amountFen,
      decidedOn: revisedOn,
      policyVersion: command.policy.version,
      basis,
      decision: annualDecision(command, target),
    }),
  ];
}
