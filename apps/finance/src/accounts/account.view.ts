import type { Actor, Role } from '@nqpf/contracts';
import type { OperatingDeadlineRow } from '../consumers/operating-deadlines';
import type { HeldGrantRevision } from '../domain/subsidy-account/subsidy-account.commands';
import {
  accountLedger,
  heldExcess,
  paidAfterRevocation,
  toRecoverFen,
} from '../domain/subsidy-account/subsidy-account.ledger';
import { OpenAccountState } from '../domain/subsidy-account/subsidy-account.state';

/**
 * The ledger of one account as the API shows it: every amount in fen as a decimal string. `held`: the grade
 * corrections finance holds for it (held-revisions.ts), each shown on its support year. `deadline`: its A17.3a
 * operating deadline and start as finance read them (operating-deadlines.ts), null while unknown.
 */
export function accountView(
  state: OpenAccountState,
  version: number,
  held: HeldGrantRevision[] = [],
  deadline: OperatingDeadlineRow | null = null,
) {
  const ledgers = accountLedger(state);
  return {
    centerId: state.centerId,
    status: state.status,
    district: state.district,
    operatorId: state.operatorId,
    recognizedOn: state.recognizedOn,
    revokedOn: state.revokedOn,
    // What a payment dated after the deadline is checked against (A17.3a): null until assessment's event is read.
    operatingDeadline: deadline?.operatingDeadline ?? null,
    operationStartedOn: deadline?.operationStartedOn ?? null,
    /** Disbursements dated after the revocation day and not reversed (paid back): to recover. */
    paidAfterRevocation: paidAfterRevocation(state),
    years: state.years.map((year, i) => {
      const l = ledgers[i]!;
      return {
        supportYear: year.supportYear,
        calendarYear: year.calendarYear,
        status: year.status,
        basis: year.basis,
        // Pending only while the year is declared: the approval grants it, a revocation cancels it.
        pendingDeclaration:
          year.status === 'declared' && year.declaration
            ? {
                declarationId: year.declaration.declarationId,
                declaredOn: year.declaration.declaredOn,
                totalFen: year.declaration.total.toFenText(),
                items: year.declaration.items,
                replacesDeclarationId: year.declaration.replacesDeclarationId,
                reason: year.declaration.reason,
              }
            : null,
        grantedFen: l.granted.toFenText(),
        cancelledFen: l.cancelled.toFenText(),
        disbursedFen: l.disbursed.toFenText(),
        spentFen: l.spent.toFenText(),
        undisbursedFen: l.undisbursed.toFenText(),
        balanceFen: l.balance.toFenText(),
        // What A13 still lets be spent: the balance less money paid after the revocation (to recover).
        spendableFen: maxZero(l.balance.fen - toRecoverFen(state, year.supportYear)).toString(),
        heldRevision: heldRevisionView(state, held, year.supportYear),
      };
    }),
    entries: state.entries.map((e) => ({
      entryId: e.entryId,
      kind: e.kind,
      supportYear: e.supportYear,
      amountFen: e.amount.toFenText(),
      direction: e.direction,
      reversesEntryId: e.reversesEntryId,
      reversedByEntryId: e.reversedByEntryId,
      // What the officer reconciles against: the day, the voucher or category, why it was undone.
      on:
        e.disbursedOn ??
        e.spending?.spentOn ??
        e.reversal?.reversedOn ??
        e.grantedOn ??
        e.reduction?.on ??
        null,
      reference: e.reference ?? null,
      category: e.spending?.category ?? null,
      reason: e.reversal?.reason ?? (e.reduction ? reductionReason(e.reduction) : null),
    })),
    // A13 refusals: no entry in the ledger, listed here with why.
    rejectedExpenditures: state.rejectedExpenditures.map((r) => ({
      expenditureId: r.expenditureId,
      supportYear: r.supportYear,
      amountFen: r.amount.toFenText(),
      category: r.category,
      spentOn: r.spentOn,
      rejectedFor: r.rejectedFor,
    })),
    version,
  };
}

/**
 * A grade correction finance holds for the year (A12.3): the grant it decides and how much of the year's
 * disbursements must be corrected before it applies (payments are refused meanwhile); null when none is.
 */
function heldRevisionView(state: OpenAccountState, held: HeldGrantRevision[], supportYear: number) {
  const h = held.find((x) => x.supportYear === supportYear);
  if (!h) return null;
  return {
    assessedYear: h.assessedYear,
    previousGrade: h.previousGrade,
    grade: h.grade,
    revisedOn: h.revisedOn,
    reason: h.reason,
    grantFen: h.grantFen,
    toCorrectFen: heldExcess(state, h).toCorrect.toFenText(),
  };
}

/** A cancellation taken back: which payment, made when, before which revocation (as the registry says it). */
export const reductionReason = (r: {
  disbursementEntryId: string;
  disbursedOn: string;
  revokedOn: string;
  rule: string;
}) =>
  `${r.rule}: disbursement ${r.disbursementEntryId} paid on ${r.disbursedOn}, on or before the revocation (${r.revokedOn})`;

/**
 * Who reads which account filed the application (`operatorId`), as the registry's standing shows it: the
 * bureau and auditors, the center's district office and its own operator. A finance officer pays the
 * operating entity; which of its staff filed is not needed (minimum necessary).
 */
const SEES_THE_OPERATOR_ACCOUNT: readonly Role[] = ['city_bureau', 'auditor', 'district_office', 'operator'];

type AccountView = ReturnType<typeof accountView>;

/** An account as `actor` may read it: `operatorId` `(withheld)` but for the roles above. */
export function accountAsShownTo(actor: Pick<Actor, 'role'>, view: AccountView): AccountView {
  return SEES_THE_OPERATOR_ACCOUNT.includes(actor.role) ? view : { ...view, operatorId: '(withheld)' };
}

const maxZero = (fen: bigint) => (fen < 0n ? 0n : fen);
