import { isBlankText } from '@nqpf/rules';
import { InvalidInputError } from './errors';
import { quotedInput, requireDate, requireName, requireOneOf, requireText } from './input';

const errorOf = (run: () => unknown): InvalidInputError => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
};

describe('written texts: format characters alone are no text', () => {
  it.each([
    ['an RTL override and a zero-width space', '\u202E\u200B'],
    ['zero-width joiners and marks', '\u200C\u200D\u200E\u200F'],
    ['isolates and a word joiner', '\u2066\u2067\u2068\u2069\u2060'],
    ['a BOM between spaces', ' \uFEFF '],
    ['embeddings and a pop', '\u202A\u202B\u202C\u202D'],
  ])('refuses a reason of %s as empty, naming the field', (_, reason) => {
    expect(isBlankText(reason)).toBe(true);
    const error = errorOf(() => requireText('reason', reason));
    expect(error).toMatchObject({ field: 'reason', problem: 'must be a non-empty text' });
  });

  it('keeps a text with something to read as given (trimmed), format characters included', () => {
    expect(isBlankText('\u200B理由')).toBe(false);
    expect(requireText('reason', ' 理由\u200D说明 ')).toBe('理由\u200D说明');
    // A family emoji is joined by U+200D: kept.
    expect(requireText('reason', '👨\u200D👩\u200D👧')).toBe('👨\u200D👩\u200D👧');
  });
});

describe('names and file names: no bidi embedding, override or isolate', () => {
  it.each(['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'refuses U+%#, naming the field',
    (control) => {
      const error = errorOf(() => requireName('materials[0].fileName', `invoice${control}fdp.exe`, 255));
      expect(error.field).toBe('materials[0].fileName');
      expect(error.message).toContain('bidirectional');
    },
  );

  it('takes a name with Chinese, Latin and a zero-width joiner; bounds it', () => {
    expect(requireName('name', '长春 Tech\u200D 有限公司', 200)).toBe('长春 Tech\u200D 有限公司');
    expect(errorOf(() => requireName('name', 'x'.repeat(201), 200)).problem).toBe(
      'must be at most 200 characters',
    );
  });
});

describe('quoted input is bounded', () => {
  it('quotes at most 80 characters, then …, never half a surrogate pair', () => {
    expect(quotedInput('short')).toBe('short');
    expect(quotedInput('长'.repeat(80))).toBe('长'.repeat(80));
    expect(quotedInput('长'.repeat(30_000))).toBe(`${'长'.repeat(80)}…`);
    expect(quotedInput(`${'x'.repeat(79)}😀`)).toBe(`${'x'.repeat(79)}…`);
    expect(quotedInput(undefined)).toBe('undefined');
  });

  it.each([
    ['requireOneOf', () => requireOneOf('kind', 'y'.repeat(30_000), ['a', 'b'])],
    ['requireDate', () => requireDate('effectiveOn', 'y'.repeat(30_000))],
  ])('%s quotes a 30 000-character value cut short', (_, run) => {
    const error = errorOf(run);
    expect(error.message.length).toBeLessThan(200);
    expect(error.message).toContain(`'${'y'.repeat(80)}…'`);
  });
});
