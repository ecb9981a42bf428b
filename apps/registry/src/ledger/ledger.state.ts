/** One support year of one center's subsidy account; amounts in integer fen. */
export interface LedgerYear {
  supportYear: number;
  calendarYear: number | null;
  granted: bigint;
  disbursed: bigint;
  spent: bigint;
  spentByCategory: Record<string, bigint>;
  rejected: bigint;
  cancelled: bigint;
  grantPolicyVersion: string | null;
}

/**
 * `cancellation-reduction`: part of a year's cancellation taken back for a payment made on or before the
 * revocation day and recorded after the stop (finance.cancellation-reduced; its disbursement follows).
 */
export type LedgerEntryKind =
  | 'grant'
  | 'disbursement'
  | 'expenditure'
  | 'rejected-expenditure'
  | 'reversal'
  | 'cancellation'
  | 'cancellation-reduction';

export interface LedgerEntry {
  entryId: string;
  supportYear: number;
  kind: LedgerEntryKind;
  amount: bigint;
  on: string;
  category: string | null;
  policyVersion: string | null;
  reversesEntryId: string | null;
  /** A correction's replacement: the entry it corrects (finance's correctsEntryId); absent otherwise. */
  correctsEntryId?: string;
  /** A disbursement's treasury voucher, when finance recorded one; absent otherwise. */
  reference?: string;
  /** A reversal's target kind (what it takes back: granted, disbursed or spent); absent on other entries. */
  reversedKind?: 'grant' | 'disbursement' | 'expenditure';
  reason: string | null;
}

/** A center's ledger: written only by finance's events, which arrive in order on one partition. */
export interface LedgerState {
  centerId: string;
  district: string | null;
  years: Record<string, LedgerYear>;
  entries: LedgerEntry[];
  /**
   * finance.support-stopped (A16, A17.3): the revocation that ended support; absent while it goes on.
   * `entriesBefore`, the number of entries then, tells the stop's own cancellations from those a later
   * reversal frees (absent in ledgers stored before it was recorded; not shown).
   */
  stopped?: { revokedOn: string; rule: string; entriesBefore?: number };
}

export function emptyLedger(centerId: string): LedgerState {
  return { centerId, district: null, years: {}, entries: [] };
}

export function emptyYear(supportYear: number, calendarYear: number | null = null): LedgerYear {
  return {
    supportYear,
    calendarYear,
    granted: 0n,
    disbursed: 0n,
    spent: 0n,
    spentByCategory: {},
    rejected: 0n,
    cancelled: 0n,
    grantPolicyVersion: null,
  };
}

/** Balance = disbursed − spent (A13: spending never exceeds what was disbursed). */
export function balanceOf(year: LedgerYear): bigint {
  return year.disbursed - year.spent;
}
