import { csvCell, csvOf, readAsNumberBySpreadsheets, toCsv, type CsvColumns } from './csv';

describe('toCsv', () => {
  it('quotes fields with commas, quotes and line breaks, and leaves empty cells for null', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          ['x,y', 'say "hi"', null],
          ['南关区', 2, { k: 1 }],
        ],
      ),
    ).toBe('\uFEFFa,b,c\r\n"x,y","say ""hi""",\r\n南关区,2,"{""k"":1}"\r\n');
  });
});

describe('toCsv and spreadsheet formulas', () => {
  it.each([
    ['=HYPERLINK("http://x.example","点击")', `"'=HYPERLINK(""http://x.example"",""点击"")"`],
    ['+1+cmd', "'+1+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
  ])('makes %j plain text', (value, cell) => {
    expect(toCsv(['v'], [[value]])).toBe(`\uFEFFv\r\n${cell}\r\n`);
  });

  it('leaves numbers, negative ones included, and ordinary text alone', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [['-1500', '+3', -7, '长春 A-1 中心']])).toBe(
      '\uFEFFa,b,c,d\r\n-1500,+3,-7,长春 A-1 中心\r\n',
    );
  });
});

describe('text columns a spreadsheet must not turn into numbers or dates', () => {
  it.each([
    '20261115000012345678', // a voucher: a float in a spreadsheet, its last digits lost
    '912201011234567890', // an all-digit credit code
    '000123456', // leading zeros
    '-12345',
    '1.10', // a policy version read as 1.1
    '1e5',
    '1E+05',
    '1,234',
    '2026-05-01',
    '2026/5/1',
    '3-4',
    '5月1日',
    '2026年5月1日',
    '12:30',
    '2 PM',
    '12%',
    '(123)',
    '¥12',
    '1 1/2',
    ' 123 ',
    '０１２３', // full-width digits
    'Jan-26',
    'SEPT1',
    'TRUE',
    'false',
  ])('keeps %j as text: a leading tab inside quotes', (value) => {
    expect(readAsNumberBySpreadsheets(value)).toBe(true);
    expect(csvCell(value, true)).toBe(`"\t${value}"`);
    // Outside a text column (amounts, counts, dates) the cell is left for the spreadsheet to read.
    expect(csvCell(value)).toBe(/[",]/.test(value) ? `"${value}"` : value);
  });

  it.each([
    'FIN-2026-001',
    'p2026',
    'A12',
    'e1', // an entry id: no exponent without a number before it
    '1d2',
    '91220101MA1234567X',
    '0193f1c2-7d4e-7a51-9c3b-2f5d8e6a1b00',
    '0193f1c2-7d4e-7a51-9c3b-2f5d8e6a1dec', // a month's name inside a word is no date
    '南关区',
    '长春创新运营有限公司',
    '',
  ])('leaves %j as it is', (value) => {
    expect(readAsNumberBySpreadsheets(value)).toBe(false);
    expect(csvCell(value, true)).toBe(value);
  });

  it('still guards formulas first: a leading tab is always its own, never part of the value', () => {
    expect(csvCell('=1+1', true)).toBe("'=1+1");
    expect(csvCell('-2+3', true)).toBe("'-2+3");
    expect(csvCell('\t123', true)).toBe("'\t123");
    expect(csvCell('12"3', true)).toBe('"12""3"');
  });

  it('marks only the columns named text, in the same file form (BOM, CRLF, header)', () => {
    const columns: CsvColumns<{ id: string; amount: string }> = [
      ['id', (r) => r.id, 'text'],
      ['amountFen', (r) => r.amount],
    ];
    expect(csvOf(columns, [{ id: '000123', amount: '150000000' }])).toBe(
      '\uFEFFid,amountFen\r\n"\t000123",150000000\r\n',
    );
    expect(csvOf(columns, [])).toBe('\uFEFFid,amountFen\r\n');
  });
});
