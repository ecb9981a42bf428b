import { FinanceEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, NotFoundError } from '@nqpf/domain';
import { decideAnnualSubsidy, GRADES } from '@nqpf/rules';
import { checkDate, checkText, MAX_ID } from '../shared/checks';
import { decideGrantOnAssessment } from './decide-grants';
import { requireNewEntryId } from './decide-ledger';
import { ReviseGrantOnAssessment } from './subsidy-account.commands';
import { event, SubsidyAccountEvent } from './subsidy-account.events';
import { supportYearLedger } from './subsidy-account.ledger';
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

/** The grant of a support year not reversed: the one a correction decides again. */
export function standingGrant(state: OpenAccountState, supportYear: number): LedgerEntry | undefined {
  return state.entries.find(
    (e) =>
      e.kind === 'grant' &&
      e.supportYear === supportYear &&
      e.direction === 1 &&
      e.reversedByEntryId === null,
  );
}

function requireGrade(field: string, grade: string): void {
  if (!(GRADES as readonly string[]).includes(grade))
    throw new InvalidInputError(field, `must be one of ${GRADES.join(', ')}`);
}

export function planRevision(command: ReviseGrantOnAssessment, state: SubsidyAccountState): RevisionPlan {
  if (state.status === 'none') throw new NotFoundError('subsidy account');
  requireGrade('grade', command.grade);
  requireGrade('previousGrade', command.previousGrade);
  const assessed = state.years.find((y) => y.supportYear === command.assessedSupportYear);
  if (!assessed)
    throw new InvalidInputError('supportYear', `must be a support year from 1 to ${state.years.length}`);
  if (command.assessedYear !== assessed.calendarYear)
    throw new InvalidInputError(
      'year',
      `support year ${assessed.supportYear} is calendar year ${assessed.calendarYear}, got ${command.assessedYear}`,
    );
  const target = state.years.find((y) => y.supportYear === command.assessedSupportYear + 1);
  // Support has ended or was revoked: nothing is granted again (A16, A17.3: revocation is final).
  if (!target || state.status === 'stopped') return { kind: 'nothing' };
  if (target.status !== 'granted') return { kind: 'grant' };
  const basis = target.basis;
  if (basis?.kind !== 'assessment' || basis.assessedYear !== command.assessedYear)
    throw new IllegalTransitionError(
      `support year ${target.supportYear} granted on another basis`,
      `decide it again on the ${command.assessedYear} grade`,
    );
  if (basis.grade === command.grade) return { kind: 'nothing' };
  const grant = standingGrant(state, target.supportYear);
  if (!grant)
    throw new IllegalTransitionError(`support year ${target.supportYear} has no grant standing`, 'revise it');
  if (grant.policyVersion !== undefined && command.policy.version !== grant.policyVersion)
    throw new InvalidInputError(
      'policy',
      `support year ${target.supportYear} was granted under ${grant.policyVersion}: it is decided again under it, not ${command.policy.version}`,
    );
  const amountFen = annualDecision(command, target).outcome.amountFen;
  const { disbursed } = supportYearLedger(state, target.supportYear);
  if (BigInt(amountFen) < disbursed.fen)
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
 * (held until those disbursements are corrected: 409 here, parked by the consumer). With no grant standing
 * yet, the grant is simply decided on the corrected grade.
 */
export function decideReviseGrantOnAssessment(
  command: ReviseGrantOnAssessment,
  state: SubsidyAccountState,
): SubsidyAccountEvent[] {
  const revisedOn = checkDate('revisedOn', command.revisedOn);
  const reason = checkText('reason', command.reason);
  const plan = planRevision(command, state);
  const account = state as OpenAccountState;
  switch (plan.kind) {
    case 'nothing':
      return [];
    case 'held':
      throw new IllegalTransitionError(plan.because, `decide the grant again on ${command.grade}`);
    case 'grant':
      return decideGrantOnAssessment(
        {
          kind: 'grant-on-assessment',
          assessedYear: command.assessedYear,
          assessedSupportYear: command.assessedSupportYear,
          grade: command.grade,
          decidedOn: revisedOn,
          entryId: command.entryId,
          policy: command.policy,
        },
        account,
      );
  }
  const { target, grant, amountFen } = plan;
  if (grant.grantedOn && revisedOn < grant.grantedOn)
    throw new InvalidInputError('revisedOn', `must not be before the grant on ${grant.grantedOn}`);
  const reversalEntryId = requireNewEntryId(account, 'reversalEntryId', command.reversalEntryId);
  const entryId = requireNewEntryId(account, 'entryId', checkText('entryId', command.entryId, MAX_ID));
  if (entryId === reversalEntryId)
    throw new InvalidInputError('entryId', 'must differ from the reversal entry id');
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
