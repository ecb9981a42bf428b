import { toCsv } from './csv';

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
