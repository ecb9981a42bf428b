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
    ).toBe('a,b,c\r\n"x,y","say ""hi""",\r\n南关区,2,"{""k"":1}"\r\n');
  });
});
