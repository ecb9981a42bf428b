import { encodeLedger } from './ledger.codec';
import { ledgerCsv } from './ledger.export';
import type { LedgerYearExportRow } from './ledger.query';
import { emptyLedger, emptyYear } from './ledger.state';
import { toLedgerView, undisbursedOf } from './ledger.view';

describe('undisbursed (A12: what remains to pay of a grant)', () => {
  it('is granted − cancelled − disbursed, in fen as a decimal string', () => {
    expect(undisbursedOf({ granted: '150000000', cancelled: '0', disbursed: '100000000' })).toBe('50000000');
    expect(undisbursedOf({ granted: '150000000', cancelled: '30000000', disbursed: '120000000' })).toBe('0');
    expect(undisbursedOf({ granted: '0', cancelled: '0', disbursed: '0' })).toBe('0');
    // Past 2^53 fen: no float on the way.
    expect(undisbursedOf({ granted: '9007199254740993', cancelled: '1', disbursed: '1' })).toBe(
      '9007199254740991',
    );
  });

  it('is shown on each year of the ledger view, beside the balance', () => {
    const state = emptyLedger('c-1');
    state.years['2'] = { ...emptyYear(2, 2027), granted: 90000000n };
    state.years['1'] = {
      ...emptyYear(1, 2026),
      granted: 150000000n,
      disbursed: 100000000n,
      spent: 4000000n,
      cancelled: 20000000n,
    };
    const years = toLedgerView(encodeLedger(state)).years;
    expect(years.map((y) => [y.supportYear, y.balance, y.undisbursed])).toEqual([
      [1, '96000000', '30000000'],
      [2, '0', '90000000'],
    ]);
  });

  it('is a column of ledger.csv after those it was added behind, which keep their places', () => {
    const row: LedgerYearExportRow = {
      centerId: 'c-1',
      district: '南关区',
      supportYear: 1,
      calendarYear: 2026,
      granted: '150000000',
      disbursed: '100000000',
      spent: '4000000',
      rejected: '0',
      cancelled: '20000000',
      balance: '96000000',
      undisbursed: '30000000',
      spentByCategory: {},
      grantPolicyVersion: 'p2026',
      operatorName: null,
      status: null,
      operatorCreditCode: null,
    };
    const [header, line] = ledgerCsv([row])
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(header!.split(',').slice(0, 13)).toEqual([
      'centerId',
      'district',
      'supportYear',
      'calendarYear',
      'grantedFen',
      'disbursedFen',
      'spentFen',
      'rejectedFen',
      'cancelledFen',
      'balanceFen',
      'spentByCategoryFen',
      'grantPolicyVersion',
      'undisbursedFen',
    ]);
    expect(line!.split(',')[12]).toBe('30000000');
  });
});
