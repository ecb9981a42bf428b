import type { StoredLedger } from './ledger.codec';

/**
 * What GET /ledger/:centerId shows: support years in order with their balance, every entry, whether
 * support stopped, and the disbursements dated after the revocation day and not reversed (to recover), as
 * finance's account shows them.
 */
export interface LedgerView {
  centerId: string;
  district: string | null;
  stopped: { revokedOn: string; rule: string } | null;
  paidAfterRevocation: { entryId: string; supportYear: number; amountFen: string; disbursedOn: string }[];
  years: (StoredLedger['years'][string] & { balance: string })[];
  entries: StoredLedger['entries'];
}

export function toLedgerView(stored: StoredLedger): LedgerView {
  const stopped = stored.stopped ? { revokedOn: stored.stopped.revokedOn, rule: stored.stopped.rule } : null;
  const reversed = new Set(stored.entries.map((e) => e.reversesEntryId).filter((id) => id !== null));
  return {
    centerId: stored.centerId,
    district: stored.district,
    stopped,
    paidAfterRevocation: stopped
      ? stored.entries
          .filter((e) => e.kind === 'disbursement' && e.on > stopped.revokedOn && !reversed.has(e.entryId))
          .map((e) => ({
            entryId: e.entryId,
            supportYear: e.supportYear,
            amountFen: e.amount,
            disbursedOn: e.on,
          }))
      : [],
    years: Object.values(stored.years)
      .sort((a, b) => a.supportYear - b.supportYear)
      .map((y) => ({ ...y, balance: (BigInt(y.disbursed) - BigInt(y.spent)).toString() })),
    entries: stored.entries,
  };
}
