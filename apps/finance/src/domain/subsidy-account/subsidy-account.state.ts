import { FinanceEventTypes as T, GrantBasisV1, Year1CostsDeclaredV1 } from '@nqpf/contracts';
import { Money } from '../money/money';
import { SubsidyAccountEvent } from './subsidy-account.events';

/**
 * awaiting: no grant yet (year 1: no costs declared; years 2–3: no assessment of the year before);
 * declared: year-1 costs await the bureau's approval (a pending grant); granted; cancelled by revocation.
 */
export type SupportYearStatus = 'awaiting' | 'declared' | 'granted' | 'cancelled';

export interface SupportYearState {
  supportYear: number;
  calendarYear: number;
  status: SupportYearStatus;
  declaration: {
    declarationId: string;
    declaredOn: string;
    total: Money;
    /** What the bureau approves: each declared cost with its evidence (A12.2). */
    items: Year1CostsDeclaredV1['items'];
    /** The declaration this one replaced, and why (null: a first one, or one recorded before they were). */
    replacesDeclarationId: string | null;
    reason: string | null;
  } | null;
  basis: GrantBasisV1 | null;
}

export type EntryKind = 'grant' | 'grant-cancellation' | 'disbursement' | 'expenditure';

/** A ledger line; a reversal is a line of the same kind with direction −1 that names the line it undoes. */
export interface LedgerEntry {
  entryId: string;
  kind: EntryKind;
  supportYear: number;
  amount: Money;
  direction: 1 | -1;
  reversesEntryId: string | null;
  reversedByEntryId: string | null;
  /** An accepted expenditure's evidence, category (as decided) and day: the same spending twice is refused. */
  spending?: { evidenceHash: string; category: string; spentOn: string };
  /** A grant's decision day. */
  grantedOn?: string;
  /** A grant's policy version: a grant decided again on a corrected grade is decided under it (A12.3). */
  policyVersion?: string;
  /** A disbursement's day: one after the revocation day is support paid after it (paidAfterRevocation). */
  disbursedOn?: string;
  /** A disbursement's voucher reference, when given: the same payment twice is refused. */
  reference?: string | null;
  /** A reversal's written reason and day. */
  reversal?: { reason: string; reversedOn: string };
  /**
   * A cancellation taken back (direction −1) for a payment made on or before the revocation day and
   * recorded after the stop: that disbursement, the day it was paid, the revocation, the day recorded.
   */
  reduction?: {
    disbursementEntryId: string;
    disbursedOn: string;
    revokedOn: string;
    rule: string;
    on: string;
  };
}

/** A13 spending the rule refused: no ledger entry, but on the account with why. */
export interface RejectedExpenditure {
  expenditureId: string;
  supportYear: number;
  amount: Money;
  /** As decided (the category's code when known), like an accepted expenditure's. */
  category: string;
  evidenceHash: string;
  spentOn: string;
  rejectedFor: string[];
}

export interface OpenAccountState {
  status: 'open' | 'stopped';
  centerId: string;
  district: string;
  operatorId: string;
  recognizedOn: string;
  years: SupportYearState[];
  entries: LedgerEntry[];
  /** Rejected expenditures, shown on the account; a retried one is not decided twice. */
  rejectedExpenditures: RejectedExpenditure[];
  revokedOn: string | null;
  /** The rule of the revocation that stopped support, for cancellations after it. */
  revocationRule: string | null;
}

export type SubsidyAccountState = { status: 'none' } | OpenAccountState;

const fen = (text: string) => Money.ofFen(BigInt(text));

function entry(
  entryId: string,
  kind: EntryKind,
  supportYear: number,
  amountFen: string,
  reversesEntryId: string | null = null,
): LedgerEntry {
  return {
    entryId,
    kind,
    supportYear,
    amount: fen(amountFen),
    direction: reversesEntryId ? -1 : 1,
    reversesEntryId,
    reversedByEntryId: null,
  };
}

function withYear(
  state: OpenAccountState,
  supportYear: number,
  change: (year: SupportYearState) => SupportYearState,
): OpenAccountState {
  return { ...state, years: state.years.map((y) => (y.supportYear === supportYear ? change(y) : y)) };
}

function withEntry(state: OpenAccountState, line: LedgerEntry): OpenAccountState {
  const entries = line.reversesEntryId
    ? state.entries.map((e) =>
        e.entryId === line.reversesEntryId ? { ...e, reversedByEntryId: line.entryId } : e,
      )
    : state.entries;
  return { ...state, entries: [...entries, line] };
}

export function evolve(state: SubsidyAccountState, event: SubsidyAccountEvent): SubsidyAccountState {
  if (event.type === T.SubsidyAccountOpened) {
    const p = event.payload;
    return {
      status: 'open',
      centerId: p.centerId,
      district: p.district,
      operatorId: p.operatorId,
      recognizedOn: p.recognizedOn,
      years: p.supportYears.map((y) => ({ ...y, status: 'awaiting', declaration: null, basis: null })),
      entries: [],
      rejectedExpenditures: [],
      revokedOn: null,
      revocationRule: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case T.Year1CostsDeclared: {
      const { declarationId, declaredOn, totalFen, items } = event.payload;
      return withYear(state, 1, (y) => ({
        ...y,
        status: 'declared',
        declaration: {
          declarationId,
          declaredOn,
          total: fen(totalFen),
          items,
          replacesDeclarationId: event.payload.replacesDeclarationId ?? null,
          reason: event.payload.reason ?? null,
        },
      }));
    }
    case T.Year1CostsApproved:
      return state; // the grant follows as GrantDecided
    case T.Year1ApprovalRevised:
    case T.AnnualGrantRevised: {
      // A correction (of the year-1 approval, of a grade): the grant standing is reversed; the grant decided
      // again follows as GrantDecided.
      const p = event.payload;
      const supportYear = event.type === T.AnnualGrantRevised ? event.payload.supportYear : 1;
      return withEntry(state, {
        ...entry(p.reversalEntryId, 'grant', supportYear, p.previousGrantFen, p.previousGrantEntryId),
        reversal: { reason: p.reason, reversedOn: p.revisedOn },
      });
    }
    case T.GrantDecided: {
      const p = event.payload;
      const granted = withYear(state, p.supportYear, (y) => ({ ...y, status: 'granted', basis: p.basis }));
      return withEntry(granted, {
        ...entry(p.entryId, 'grant', p.supportYear, p.amountFen),
        grantedOn: p.decidedOn,
        policyVersion: p.policyVersion,
      });
    }
    case T.SupportStopped:
      return {
        ...state,
        status: 'stopped',
        revokedOn: event.payload.revokedOn,
        revocationRule: event.payload.rule,
      };
    case T.GrantCancelled: {
      const p = event.payload;
      const cancelled = withYear(state, p.supportYear, (y) => ({ ...y, status: 'cancelled' }));
      if (p.cancelledFen === '0') return cancelled;
      // A year's later cancellations (a disbursement reversed after the stop) get ids of their own;
      // reductions (CancellationReduced) carry theirs and are not counted.
      const before = state.entries.filter(
        (e) => e.kind === 'grant-cancellation' && e.direction === 1 && e.supportYear === p.supportYear,
      ).length;
      const id = before === 0 ? `cancel-${p.supportYear}` : `cancel-${p.supportYear}-${before + 1}`;
      return withEntry(cancelled, entry(id, 'grant-cancellation', p.supportYear, p.cancelledFen));
    }
    case T.CancellationReduced: {
      // Takes part of the year's cancellation back; the year stays cancelled (support ended).
      const p = event.payload;
      return withEntry(state, {
        ...entry(p.entryId, 'grant-cancellation', p.supportYear, p.amountFen),
        direction: -1,
        reduction: {
          disbursementEntryId: p.disbursementEntryId,
          disbursedOn: p.disbursedOn,
          revokedOn: p.revokedOn,
          rule: p.rule,
          on: p.reducedOn,
        },
      });
    }
    case T.DisbursementRecorded: {
      const p = event.payload;
      return withEntry(state, {
        ...entry(p.entryId, 'disbursement', p.supportYear, p.amountFen),
        disbursedOn: p.disbursedOn,
        reference: p.reference ?? null,
      });
    }
    case T.ExpenditureAccepted: {
      const p = event.payload;
      const spending = { evidenceHash: p.evidenceHash, category: p.category, spentOn: p.spentOn };
      return withEntry(state, { ...entry(p.entryId, 'expenditure', p.supportYear, p.amountFen), spending });
    }
    case T.ExpenditureRejected: {
      const p = event.payload;
      const rejected: RejectedExpenditure = {
        expenditureId: p.expenditureId,
        supportYear: p.supportYear,
        amount: fen(p.amountFen),
        category: p.decision.inputs.category,
        evidenceHash: p.evidenceHash,
        spentOn: p.spentOn,
        rejectedFor: p.decision.outcome.rejectedFor,
      };
      return { ...state, rejectedExpenditures: [...state.rejectedExpenditures, rejected] };
    }
    case T.EntryReversed: {
      const p = event.payload;
      return withEntry(state, {
        ...entry(p.entryId, p.kind, p.supportYear, p.amountFen, p.reversesEntryId),
        reversal: { reason: p.reason, reversedOn: p.reversedOn },
      });
    }
  }
}
