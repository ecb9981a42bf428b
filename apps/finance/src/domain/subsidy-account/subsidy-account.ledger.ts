import { PaidAfterRevocationV1 } from '@nqpf/contracts';
import { Money } from '../money/money';
import { EntryKind, LedgerEntry, OpenAccountState, SupportYearStatus } from './subsidy-account.state';

export interface SupportYearLedger {
  supportYear: number;
  calendarYear: number;
  status: SupportYearStatus;
  granted: Money;
  cancelled: Money;
  disbursed: Money;
  spent: Money;
  /** What may still be disbursed: granted − cancelled − disbursed. */
  undisbursed: Money;
  /** What may still be spent: disbursed − accepted spending. */
  balance: Money;
}

/** Σ direction × amount over the entries of one kind (and support year): the totals are the entries. */
export function sumEntries(entries: LedgerEntry[], kind: EntryKind, supportYear?: number): bigint {
  return entries
    .filter((e) => e.kind === kind && (supportYear === undefined || e.supportYear === supportYear))
    .reduce((total, e) => total + BigInt(e.direction) * e.amount.fen, 0n);
}

/** The ledger of one support year. Money refuses negatives, so a broken invariant throws here. */
export function supportYearLedger(state: OpenAccountState, supportYear: number): SupportYearLedger {
  const year = state.years.find((y) => y.supportYear === supportYear);
  if (!year) throw new RangeError(`no support year ${supportYear}`);
  const granted = Money.ofFen(sumEntries(state.entries, 'grant', supportYear));
  const cancelled = Money.ofFen(sumEntries(state.entries, 'grant-cancellation', supportYear));
  const disbursed = Money.ofFen(sumEntries(state.entries, 'disbursement', supportYear));
  const spent = Money.ofFen(sumEntries(state.entries, 'expenditure', supportYear));
  return {
    supportYear,
    calendarYear: year.calendarYear,
    status: year.status,
    granted,
    cancelled,
    disbursed,
    spent,
    undisbursed: granted.minus(cancelled).minus(disbursed),
    balance: disbursed.minus(spent),
  };
}

/** What a held grade correction waits on: the year's disbursements above the grant it decides. */
export function heldExcess(
  state: OpenAccountState,
  held: { supportYear: number; grantFen: string },
): { disbursed: Money; toCorrect: Money } {
  const { disbursed } = supportYearLedger(state, held.supportYear);
  const grant = BigInt(held.grantFen);
  return { disbursed, toCorrect: Money.ofFen(disbursed.fen > grant ? disbursed.fen - grant : 0n) };
}

export function accountLedger(state: OpenAccountState): SupportYearLedger[] {
  return state.years.map((y) => supportYearLedger(state, y.supportYear));
}

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

export function findEntry(state: OpenAccountState, entryId: string): LedgerEntry | undefined {
  return state.entries.find((e) => e.entryId === entryId);
}

/**
 * A16 / A17.3: a payment dated after the revocation day was paid after the revocation; one dated on it was
 * not. The one rule for what a stop refuses and names for recovery, and for what the A17.3a check asks the
 * officer to acknowledge before the revocation is recorded (checkOperatingDeadline).
 */
export function paidAfterRevocationDay(disbursedOn: string, revokedOn: string): boolean {
  return disbursedOn > revokedOn;
}

/**
 * A16 / A17.3: no support after revocation. A disbursement standing (not reversed) that is dated after the
 * revocation day was paid after it — recorded before finance read the revocation — and is to be recovered;
 * reversing it (paid back) takes it off. `revokedOn`: the account's, or the one being recorded.
 */
export function paidAfterRevocation(
  state: OpenAccountState,
  revokedOn: string | null = state.revokedOn,
): PaidAfterRevocationV1[] {
  if (revokedOn === null) return [];
  return state.entries.flatMap((e) =>
    e.kind === 'disbursement' &&
    e.direction === 1 &&
    e.reversedByEntryId === null &&
    e.disbursedOn !== undefined &&
    paidAfterRevocationDay(e.disbursedOn, revokedOn)
      ? [
          {
            entryId: e.entryId,
            supportYear: e.supportYear,
            amountFen: e.amount.toFenText(),
            disbursedOn: e.disbursedOn,
          },
        ]
      : [],
  );
}

/** The year's disbursements paid after the revocation day and not reversed: to recover, not to spend. */
export function toRecoverFen(state: OpenAccountState, supportYear: number): bigint {
  return paidAfterRevocation(state)
    .filter((p) => p.supportYear === supportYear)
    .reduce((sum, p) => sum + BigInt(p.amountFen), 0n);
}
