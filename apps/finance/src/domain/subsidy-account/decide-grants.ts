import { FinanceEventTypes as T, GrantDecidedV1 } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, NotFoundError, RuleViolationError } from '@nqpf/domain';
import {
  codeOf,
  decideAnnualSubsidy,
  decideYear1Subsidy,
  EXPENDITURE_CATEGORIES,
  FORBIDDEN_EXPENDITURES,
  GRADES,
  MAX_LEDGER_FEN,
  Policy,
} from '@nqpf/rules';
import { checkDate, checkEvidenceHash, checkOptionalText, checkText, MAX_ID } from '../shared/checks';
import { Money } from '../money/money';
import { requireNewEntryId } from './decide-ledger';
import {
  ApproveYear1Costs,
  DeclareYear1Costs,
  GrantOnAssessment,
  ReviseYear1Approval,
} from './subsidy-account.commands';
import { event, SubsidyAccountEvent } from './subsidy-account.events';
import { standingGrant, supportYearLedger } from './subsidy-account.ledger';
import {
  LedgerEntry,
  OpenAccountState,
  SubsidyAccountState,
  SupportYearState,
} from './subsidy-account.state';

function requireOpen(state: SubsidyAccountState, action: string): OpenAccountState {
  if (state.status === 'none') throw new NotFoundError('subsidy account');
  if (state.status === 'stopped')
    throw new IllegalTransitionError('support stopped (recognition revoked)', action);
  return state;
}

function requireInForce(policy: Policy, date: string): void {
  if (policy.effectiveFrom > date)
    throw new InvalidInputError('policy', `version ${policy.version} is not in force on ${date}`);
}

/** A cost category: an A13 code or its Chinese term; forbidden uses and unknown ones are refused. */
function costCategory(field: string, text: string): string {
  const allowed = codeOf(EXPENDITURE_CATEGORIES, text);
  if (allowed) return allowed;
  const forbidden = codeOf(FORBIDDEN_EXPENDITURES, text);
  if (forbidden)
    throw new RuleViolationError(
      'A13',
      `${field}: ${FORBIDDEN_EXPENDITURES[forbidden]} is never an eligible cost`,
      { field },
    );
  throw new RuleViolationError(
    'A12.2',
    `${field}: '${text}' is not a construction or operating cost category; known: ${Object.keys(EXPENDITURE_CATEGORIES).join(', ')}`,
    { field },
  );
}

export function decideDeclareYear1Costs(
  command: DeclareYear1Costs,
  state: SubsidyAccountState,
): SubsidyAccountEvent[] {
  const account = requireOpen(state, 'declare year-1 costs');
  const year1 = account.years[0]!;
  if (year1.status !== 'awaiting' && year1.status !== 'declared')
    throw new IllegalTransitionError(`support year 1 ${year1.status}`, 'declare year-1 costs');
  const declarationId = checkText('declarationId', command.declarationId, MAX_ID);
  const declaredOn = checkDate('declaredOn', command.declaredOn);
  if (declaredOn < account.recognizedOn)
    throw new InvalidInputError('declaredOn', `must not be before recognition on ${account.recognizedOn}`);
  // Until the bureau approves, the operator may declare again: the new declaration replaces the pending one
  // (a wrong amount or a missing item mended before the decision), under an id of its own.
  const pending = year1.status === 'declared' ? year1.declaration : null;
  if (pending?.declarationId === declarationId)
    throw new IllegalTransitionError(`year-1 costs ${declarationId} declared`, 'declare year-1 costs');
  if (pending && declaredOn < pending.declaredOn)
    throw new InvalidInputError(
      'declaredOn',
      `must not be before the pending declaration on ${pending.declaredOn}`,
    );
  const replacement = replacementOf(pending, command.replacesDeclarationId, command.reason);
  if (command.items.length === 0) throw new InvalidInputError('items', 'declare at least one cost');
  const items = command.items.map((item, i) => {
    const category = costCategory(
      `items[${i}].category`,
      checkText(`items[${i}].category`, item.category, MAX_ID),
    );
    if (item.amount.isZero()) throw new InvalidInputError(`items[${i}].amountFen`, 'must be above 0 fen');
    return {
      category,
      amountFen: item.amount.toFenText(),
      evidenceHash: checkEvidenceHash(`items[${i}].evidenceHash`, item.evidenceHash),
      description: checkOptionalText(`items[${i}].description`, item.description),
    };
  });
  const total = command.items.reduce((sum, item) => sum + item.amount.fen, 0n);
  if (total > MAX_LEDGER_FEN)
    throw new InvalidInputError('items', `together must not exceed ${MAX_LEDGER_FEN} fen, got ${total}`);
  const totalFen = total.toString();
  return [
    event(T.Year1CostsDeclared, {
      centerId: account.centerId,
      declarationId,
      declaredOn,
      items,
      totalFen,
      ...replacement,
    }),
  ];
}

/**
 * A declaration that replaces the pending one corrects a claim for money: it names the one it replaces and
 * says why, in writing (as every other correction does). The operator names the declaration it read
 * (`replacesDeclarationId`): its reason is about that one, so another declared since (a colleague's
 * correction it has not seen) is a 409 naming the pending one, never replaced unread. A first declaration
 * replaces nothing, so a reason or a replaced id there would say nothing (400: it would be dropped otherwise).
 */
function replacementOf(
  pending: { declarationId: string } | null,
  replacesDeclarationId: unknown,
  reason: unknown,
): { replacesDeclarationId: string; reason: string } | Record<string, never> {
  if (!pending) {
    if (replacesDeclarationId != null && replacesDeclarationId !== '')
      throw new InvalidInputError(
        'replacesDeclarationId',
        'names the pending declaration this one replaces; no declaration is pending (A12.2)',
      );
    if (reason != null && reason !== '')
      throw new InvalidInputError(
        'reason',
        'says why a declaration replaces the pending one; no declaration is pending (A12.2)',
      );
    return {};
  }
  if (typeof replacesDeclarationId !== 'string' || replacesDeclarationId.trim() === '')
    throw new InvalidInputError(
      'replacesDeclarationId',
      `A12.2: a declaration that replaces the pending one names it: ${pending.declarationId} is pending`,
    );
  const named = checkText('replacesDeclarationId', replacesDeclarationId, MAX_ID);
  if (named !== pending.declarationId)
    throw new IllegalTransitionError(
      `the pending declaration is ${pending.declarationId}`,
      `replace declaration ${named}`,
    );
  if (typeof reason !== 'string' || reason.trim() === '')
    throw new InvalidInputError(
      'reason',
      `A12.2: a declaration that replaces the pending one (${pending.declarationId}) must say why, in writing`,
    );
  return { replacesDeclarationId: pending.declarationId, reason: checkText('reason', reason) };
}

/** A12.2: the bureau approves (possibly less, with a reason); grant = min(cap, rate × approved). */
export function decideApproveYear1Costs(
  command: ApproveYear1Costs,
  state: SubsidyAccountState,
): SubsidyAccountEvent[] {
  const account = requireOpen(state, 'approve year-1 costs');
  const year1 = account.years[0]!;
  if (year1.status !== 'declared' || !year1.declaration)
    throw new IllegalTransitionError(`support year 1 ${year1.status}`, 'approve year-1 costs');
  const { declaration } = year1;
  // The bureau approves the declaration it read; one the operator replaced since is out of date (409, as
  // any request on a state that moved under it), not a malformed request.
  const named = checkText('declarationId', command.declarationId, MAX_ID);
  if (named !== declaration.declarationId)
    throw new IllegalTransitionError(
      `the pending declaration is ${declaration.declarationId}`,
      `approve year-1 costs ${named}`,
    );
  const approvedOn = checkDate('approvedOn', command.approvedOn);
  if (approvedOn < declaration.declaredOn)
    throw new InvalidInputError(
      'approvedOn',
      `must not be before the declaration on ${declaration.declaredOn}`,
    );
  requireDeclared(command.approved, declaration.total);
  const reduced = command.approved.isLessThan(declaration.total);
  const reason = reduced
    ? checkText('reason', command.reason)
    : checkOptionalText('reason', command.reason) || null;
  requireInForce(command.policy, approvedOn);
  return [
    event(T.Year1CostsApproved, {
      centerId: account.centerId,
      declarationId: declaration.declarationId,
      approvedOn,
      declaredFen: declaration.total.toFenText(),
      approvedFen: command.approved.toFenText(),
      reason,
    }),
    year1Grant(account, {
      entryId: checkText('entryId', command.entryId, MAX_ID),
      approved: command.approved,
      decidedOn: approvedOn,
      policy: command.policy,
    }),
  ];
}

function requireDeclared(approved: Money, declared: Money): void {
  if (!approved.isAtMost(declared))
    throw new RuleViolationError(
      'A12.2',
      `cannot approve more than the declared ${declared.toFenText()} fen`,
      {
        field: 'approvedFen',
      },
    );
}

/** A12.2: the year-1 grant on approved costs = min(cap, rate × approved), an automated decision. */
function year1Grant(
  account: OpenAccountState,
  g: { entryId: string; approved: Money; decidedOn: string; policy: Policy },
): SubsidyAccountEvent {
  const year1 = account.years[0]!;
  const decision = decideYear1Subsidy({ approvedCostsFen: g.approved.fen }, g.policy);
  return event(T.GrantDecided, {
    centerId: account.centerId,
    entryId: g.entryId,
    supportYear: 1,
    calendarYear: year1.calendarYear,
    amountFen: decision.outcome.amountFen,
    decidedOn: g.decidedOn,
    policyVersion: g.policy.version,
    basis: {
      kind: 'year1-costs',
      declarationId: year1.declaration!.declarationId,
      approvedFen: g.approved.toFenText(),
    },
    decision,
  });
}

/**
 * A12.2, a correction: the bureau approved a wrong amount. The year-1 grant standing is reversed and the
 * grant decided again on the corrected approved costs, under the policy in force on the revision day. The
 * new grant may not fall below what year 1 has already disbursed: those disbursements are corrected first.
 */
export function decideReviseYear1Approval(
  command: ReviseYear1Approval,
  state: SubsidyAccountState,
): SubsidyAccountEvent[] {
  const action = 'revise the year-1 approval';
  const account = requireOpen(state, action);
  const year1 = account.years[0]!;
  const { basis, declaration } = year1;
  if (year1.status !== 'granted' || basis?.kind !== 'year1-costs' || !declaration)
    throw new IllegalTransitionError(`support year 1 ${year1.status}`, action);
  if (command.declarationId !== basis.declarationId)
    throw new InvalidInputError('declarationId', `the approved declaration is ${basis.declarationId}`);
  const grant = standingGrant(account, 1);
  // A revision whose new grant never came (published in part, then refilled) leaves none standing.
  if (!grant) throw new IllegalTransitionError('support year 1 has no grant standing', action);
  const reason = checkText('reason', command.reason);
  requireDeclared(command.approved, declaration.total);
  if (command.approved.toFenText() === basis.approvedFen)
    throw new InvalidInputError('approvedFen', `${basis.approvedFen} fen is the approval already`);
  const { revisedOn, reversalEntryId, entryId } = regrantOf(account, grant, command);
  requireInForce(command.policy, revisedOn);
  const grantEvent = year1Grant(account, {
    entryId,
    approved: command.approved,
    decidedOn: revisedOn,
    policy: command.policy,
  });
  const newGrant = (grantEvent.payload as GrantDecidedV1).amountFen;
  const disbursed = disbursedAbove(account, 1, newGrant);
  if (disbursed)
    throw new IllegalTransitionError(
      `support year 1 has ${disbursed.toFenText()} fen disbursed, more than the revised grant of ${newGrant} fen (correct those disbursements first)`,
      action,
    );
  return [
    event(T.Year1ApprovalRevised, {
      centerId: account.centerId,
      declarationId: declaration.declarationId,
      revisedOn,
      declaredFen: declaration.total.toFenText(),
      previousApprovedFen: basis.approvedFen,
      approvedFen: command.approved.toFenText(),
      reason,
      previousGrantEntryId: grant.entryId,
      previousGrantFen: grant.amount.toFenText(),
      reversalEntryId,
    }),
    grantEvent,
  ];
}

/**
 * A grant decided again (a correction: A12.2 of the year-1 approval, A12.3 of a grade): the grant standing
 * is reversed by `reversalEntryId`, and the new one, `entryId`, follows it on the correction day, which is
 * not before the grant it replaces.
 */
export function regrantOf(
  account: OpenAccountState,
  grant: LedgerEntry,
  c: { revisedOn: string; reversalEntryId: string; entryId: string },
): { revisedOn: string; reversalEntryId: string; entryId: string } {
  const revisedOn = checkDate('revisedOn', c.revisedOn);
  if (grant.grantedOn && revisedOn < grant.grantedOn)
    throw new InvalidInputError(
      'revisedOn',
      `must not be before the grant it replaces, of ${grant.grantedOn}`,
    );
  const reversalEntryId = requireNewEntryId(account, 'reversalEntryId', c.reversalEntryId);
  const entryId = requireNewEntryId(account, 'entryId', c.entryId);
  if (entryId === reversalEntryId)
    throw new InvalidInputError('entryId', 'must differ from the reversal entry id');
  return { revisedOn, reversalEntryId, entryId };
}

/** A grant decided again is never below what its year has disbursed: that amount when it would be. */
export function disbursedAbove(
  account: OpenAccountState,
  supportYear: number,
  grantFen: string,
): Money | null {
  const { disbursed } = supportYearLedger(account, supportYear);
  return BigInt(grantFen) < disbursed.fen ? disbursed : null;
}

export function requireGrade(field: string, grade: string): void {
  if (!(GRADES as readonly string[]).includes(grade))
    throw new InvalidInputError(field, `must be one of ${GRADES.join(', ')}`);
}

/**
 * What a grade of support year n − 1 decides (A12.3): the grade and the year it names checked, support year
 * n — none after the last support year or once support stopped (revocation is final).
 */
export function gradedYear(
  command: { grade: string; assessedYear: number; assessedSupportYear: number },
  state: SubsidyAccountState,
): { account: OpenAccountState; target: SupportYearState | null } {
  if (state.status === 'none') throw new NotFoundError('subsidy account');
  requireGrade('grade', command.grade);
  const assessed = state.years.find((y) => y.supportYear === command.assessedSupportYear);
  if (!assessed)
    throw new InvalidInputError('supportYear', `must be a support year from 1 to ${state.years.length}`);
  if (command.assessedYear !== assessed.calendarYear)
    throw new InvalidInputError(
      'year',
      `support year ${assessed.supportYear} is calendar year ${assessed.calendarYear}, got ${command.assessedYear}`,
    );
  const target = state.years.find((y) => y.supportYear === command.assessedSupportYear + 1);
  return { account: state, target: !target || state.status === 'stopped' ? null : target };
}

/**
 * A12.3: the assessment of support year n − 1 grants support year n = base × gradeRatio(grade); 不合格
 * grants 0 and the decision says so. The same assessment delivered again grants nothing more; none is
 * granted after revocation or after the last support year.
 */
export function decideGrantOnAssessment(
  command: GrantOnAssessment,
  state: SubsidyAccountState,
): SubsidyAccountEvent[] {
  const { account, target } = gradedYear(command, state);
  const decidedOn = checkDate('decidedOn', command.decidedOn);
  if (!target) return []; // support has ended or was revoked: nothing to grant
  const basis = {
    kind: 'assessment' as const,
    assessedYear: command.assessedYear,
    assessedSupportYear: command.assessedSupportYear,
    grade: command.grade,
  };
  if (target.status === 'granted') {
    const b = target.basis;
    if (b?.kind === 'assessment' && b.assessedYear === basis.assessedYear && b.grade === basis.grade)
      return [];
    throw new IllegalTransitionError(
      `support year ${target.supportYear} granted`,
      'grant it again on another assessment',
    );
  }
  requireInForce(command.policy, decidedOn);
  const decision = decideAnnualSubsidy(
    { supportYear: target.supportYear, previousYearGrade: command.grade, revoked: false },
    command.policy,
  );
  return [
    event(T.GrantDecided, {
      centerId: account.centerId,
      entryId: checkText('entryId', command.entryId, MAX_ID),
      supportYear: target.supportYear,
      calendarYear: target.calendarYear,
      amountFen: decision.outcome.amountFen,
      decidedOn,
      policyVersion: command.policy.version,
      basis,
      decision,
    }),
  ];
}
