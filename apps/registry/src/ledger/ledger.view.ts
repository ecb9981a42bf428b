import type { StoredLedger } from './ledger.codec';

/** What GET /ledger/:centerId shows: support years in order with their balance, and every entry. */
export interface LedgerView {
  centerId: string;
  district: string | null;
  years: (StoredLedger['years'][string] & { balance: string })[];
  entries: StoredLedger['entries'];
}

export function toLedgerView(stored: StoredLedger): LedgerView {
  return {
    centerId: stored.centerId,
    district: stored.district,
    years: Object.values(stored.years)
      .sort((a, b) => a.supportYear - b.supportYear)
      .map((y) => ({ ...y, balance: (BigInt(y.disbursed) - BigInt(y.spent)).toString() })),
    entries: stored.entries,
  };
}
