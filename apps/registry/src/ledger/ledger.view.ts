import type { StoredLedger } from './ledger.codec';

/**
 * What remains to pay of a support year's grant (A12): granted − cancelled − disbursed, in fen as a decimal
 * string. Never negative in a consistent ledger (the cancellation frees only the undisbursed rest; a
 * disbursement paid after the stop lowers the cancellation by as much).
 */
export function undisbursedOf(year: { granted: string; cancelled: string; disbursed: string }): string {
  return (BigInt(year.granted) - BigInt(year.cancelled) - BigInt(year.disbursed)).toString();
}

/**
 * undisbursedOf on ledger.ledger_years' columns, for the lists that filter on it (`?undisbursed=`): the same
 * terms, exact (numeric, as BigInt). Kept beside undisbursedOf so the two change together; the ledger
 * integration spec checks that the filter and the rows' `undisbursed` agree on every row.
 */
export const UNDISBURSED_SQL = '(granted::numeric - cancelled::numeric - disbursed::numeric)';

/**
 * What GET /ledger/:centerId shows: support years in order with their balance and what remains to pay, every entry, whether
 * support stopped, and the disbursements dated after the revocation day and not reversed (to recover), as
 * finance's account shows them.
 */
export interface LedgerView {
  centerId: string;
  district: string | null;
  stopped: { revokedOn: string; rule: string } | null;
  paidAfterRevocation: { entryId: string; supportYear: number; amountFen: string; disbursedOn: string }[];
  years: (StoredLedger['years'][string] & { balance: string; undisbursed: string })[];
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
      .map((y) => ({
        ...y,
        balance: (BigInt(y.disbursed) - BigInt(y.spent)).toString(),
        undisbursed: undisbursedOf(y),
      })),
    entries: stored.entries,
  };
}
