import type { LedgerEntry, LedgerState, LedgerYear } from './ledger.state';

/** A ledger as JSON: every amount as a decimal string of fen (JSON has no bigint, floats would lose fen). */
export type StoredLedger = ReturnType<typeof encodeLedger>;

const encodeYear = (y: LedgerYear) => ({
  ...y,
  granted: y.granted.toString(),
  disbursed: y.disbursed.toString(),
  spent: y.spent.toString(),
  rejected: y.rejected.toString(),
  cancelled: y.cancelled.toString(),
  spentByCategory: Object.fromEntries(Object.entries(y.spentByCategory).map(([k, v]) => [k, v.toString()])),
});

const encodeEntry = (e: LedgerEntry) => ({ ...e, amount: e.amount.toString() });

export function encodeLedger(state: LedgerState) {
  return {
    ...state,
    years: Object.fromEntries(Object.entries(state.years).map(([k, y]) => [k, encodeYear(y)])),
    entries: state.entries.map(encodeEntry),
  };
}

export function decodeLedger(stored: StoredLedger): LedgerState {
  return {
    ...stored,
    years: Object.fromEntries(
      Object.entries(stored.years).map(([k, y]) => [
        k,
        {
          ...y,
          granted: BigInt(y.granted),
          disbursed: BigInt(y.disbursed),
          spent: BigInt(y.spent),
          rejected: BigInt(y.rejected),
          cancelled: BigInt(y.cancelled),
          spentByCategory: Object.fromEntries(
            Object.entries(y.spentByCategory).map(([c, v]) => [c, BigInt(v)]),
          ),
        },
      ]),
    ),
    entries: stored.entries.map((e) => ({ ...e, amount: BigInt(e.amount) })),
  };
}
