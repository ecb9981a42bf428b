import { csvOf, type CsvColumns } from '../standing/csv';
import type { LedgerEntryRow, LedgerYearExportRow } from './ledger.query';

// Amounts in integer fen, as in the API; the headers say so (a spreadsheet reader would take yuan).
// `text`: ids, names, policy versions and the voucher reference stay text in a spreadsheet (csvCell).

/** GET /ledger.csv, one row per center and support year (CsvColumns: new ones at the end). */
export const LEDGER_CSV_COLUMNS: CsvColumns<LedgerYearExportRow> = [
  ['centerId', (r) => r.centerId, 'text'],
  ['district', (r) => r.district, 'text'],
  ['supportYear', (r) => r.supportYear],
  ['calendarYear', (r) => r.calendarYear],
  ['grantedFen', (r) => r.granted],
  ['disbursedFen', (r) => r.disbursed],
  ['spentFen', (r) => r.spent],
  ['rejectedFen', (r) => r.rejected],
  ['cancelledFen', (r) => r.cancelled],
  ['balanceFen', (r) => r.balance],
  ['spentByCategoryFen', (r) => r.spentByCategory],
  ['grantPolicyVersion', (r) => r.grantPolicyVersion, 'text'],
  ['undisbursedFen', (r) => r.undisbursed],
  // The center as its standing shows it (empty without one): a finance officer's list names whom it pays.
  ['operatorName', (r) => r.operatorName, 'text'],
  ['status', (r) => r.status],
  // The operating entity's unified social credit code, as the standing shows it: the key others join on.
  ['operatorCreditCode', (r) => r.operatorCreditCode, 'text'],
];

/** GET /ledger/entries.csv, one row per ledger entry (CsvColumns: new ones at the end). */
export const ENTRY_CSV_COLUMNS: CsvColumns<LedgerEntryRow> = [
  ['centerId', (r) => r.centerId, 'text'],
  ['district', (r) => r.district, 'text'],
  ['supportYear', (r) => r.supportYear],
  ['calendarYear', (r) => r.calendarYear],
  ['entryId', (r) => r.entryId, 'text'],
  ['kind', (r) => r.kind],
  ['amountFen', (r) => r.amount],
  ['date', (r) => r.on],
  ['category', (r) => r.category, 'text'],
  ['policyVersion', (r) => r.policyVersion, 'text'],
  ['reversesEntryId', (r) => r.reversesEntryId, 'text'],
  ['correctsEntryId', (r) => r.correctsEntryId, 'text'],
  ['reason', (r) => r.reason, 'text'],
  ['reference', (r) => r.reference, 'text'],
  ['reversedKind', (r) => r.reversedKind],
  ['operatorName', (r) => r.operatorName, 'text'],
  ['status', (r) => r.status],
  // The operating entity's unified social credit code, as the standing shows it: the key others join on.
  ['operatorCreditCode', (r) => r.operatorCreditCode, 'text'],
];

export const ledgerCsv = (rows: LedgerYearExportRow[]): string => csvOf(LEDGER_CSV_COLUMNS, rows);

export const ledgerEntriesCsv = (rows: LedgerEntryRow[]): string => csvOf(ENTRY_CSV_COLUMNS, rows);
