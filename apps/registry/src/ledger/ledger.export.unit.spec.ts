import { ledgerCsv, ledgerEntriesCsv } from './ledger.export';
import type { LedgerEntryRow, LedgerYearExportRow } from './ledger.query';

const lines = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);

const year: LedgerYearExportRow = {
  centerId: 'c1',
  supportYear: 1,
  calendarYear: 2026,
  district: '南关区',
  granted: '150000000',
  disbursed: '100000000',
  spent: '0',
  rejected: '0',
  cancelled: '0',
  balance: '100000000',
  undisbursed: '50000000',
  spentByCategory: {},
  grantPolicyVersion: 'p2026',
  operatorName: '长春创新运营有限公司',
  status: 'recognised',
  operatorCreditCode: '91220100MA0000001L',
};

const entry: LedgerEntryRow = {
  centerId: 'c1',
  district: '南关区',
  supportYear: 1,
  calendarYear: 2026,
  entryId: 'g1',
  kind: 'grant',
  amount: '150000000',
  on: '2026-05-01',
  category: null,
  policyVersion: 'p2026',
  reversesEntryId: null,
  correctsEntryId: null,
  reason: null,
  reference: null,
  reversedKind: null,
  operatorName: '长春创新运营有限公司',
  status: 'recognised',
  operatorCreditCode: '91220100MA0000001L',
};

describe('ledger exports: the center’s name, status and credit code appended', () => {
  it('keeps ledger.csv’s columns in their places and appends operatorName, status and operatorCreditCode', () => {
    const [header, row] = lines(ledgerCsv([year]));
    expect(header!.split(',')).toEqual([
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
      'operatorName',
      'status',
      'operatorCreditCode',
    ]);
    expect(row).toBe(
      'c1,南关区,1,2026,150000000,100000000,0,0,0,100000000,{},p2026,50000000,长春创新运营有限公司,recognised,91220100MA0000001L',
    );
  });

  it('keeps entries.csv’s columns in their places and appends operatorName, status and operatorCreditCode', () => {
    const [header, row] = lines(ledgerEntriesCsv([entry]));
    expect(header!.split(',').slice(-5)).toEqual([
      'reference',
      'reversedKind',
      'operatorName',
      'status',
      'operatorCreditCode',
    ]);
    expect(row).toBe(
      'c1,南关区,1,2026,g1,grant,150000000,2026-05-01,,p2026,,,,,,长春创新运营有限公司,recognised,91220100MA0000001L',
    );
  });

  it('leaves the cells empty for a center without a standing, and guards a name against formulas', () => {
    const [, none] = lines(
      ledgerCsv([{ ...year, operatorName: null, status: null, operatorCreditCode: null }]),
    );
    expect(none!.endsWith(',50000000,,,')).toBe(true);
    const [, formula] = lines(ledgerEntriesCsv([{ ...entry, operatorName: '=HYPERLINK("x")' }]));
    expect(formula!.endsWith(`,"'=HYPERLINK(""x"")",recognised,91220100MA0000001L`)).toBe(true);
  });
});

describe('ledger exports: ids and voucher references stay text in a spreadsheet', () => {
  it('writes an all-digit voucher reference and number-like ids with a leading tab inside quotes', () => {
    const [, row] = lines(
      ledgerEntriesCsv([
        {
          ...entry,
          entryId: '000042',
          kind: 'disbursement',
          amount: '100000000',
          policyVersion: '1.10',
          reference: '20261115000012345678',
        },
      ]),
    );
    expect(row).toBe(
      'c1,南关区,1,2026,"\t000042",disbursement,100000000,2026-05-01,,"\t1.10",,,,"\t20261115000012345678",,长春创新运营有限公司,recognised,91220100MA0000001L',
    );
  });

  it('leaves references that read as text, amounts and dates as they were', () => {
    const [, row] = lines(ledgerEntriesCsv([{ ...entry, reference: 'FIN-2026-001', amount: '-3000000' }]));
    expect(row).toBe(
      'c1,南关区,1,2026,g1,grant,-3000000,2026-05-01,,p2026,,,,FIN-2026-001,,长春创新运营有限公司,recognised,91220100MA0000001L',
    );
    const [, year1] = lines(ledgerCsv([{ ...year, grantPolicyVersion: '2026' }]));
    expect(year1).toContain(',{},"\t2026",50000000,');
  });
});
