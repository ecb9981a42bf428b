import { isBlankText, isIsoInstant, isLocalDate, LocalDate, RuleInputError } from '@nqpf/rules';
import { InvalidInputError } from './errors';

/** Checks of untrusted command input; each failure is a 400 naming the field. */
export function requireText(field: string, value: unknown, maxLength = 4000): string {
  if (typeof value !== 'string' || isBlankText(value))
    throw new InvalidInputError(field, 'must be a non-empty text');
  if (value.length > maxLength) throw new InvalidInputError(field, `must be at most ${maxLength} characters`);
  return value.trim();
}

/** An optional text as given, trimmed; undefined when absent or blank (isBlankText): a name of spaces or of
 * invisible characters is no name. */
export function givenText(value: unknown): string | undefined {
  return typeof value === 'string' && !isBlankText(value) ? value.trim() : undefined;
}

/** Bidi embeddings, overrides and isolates: they make a name or a file name read other than it is stored. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * A name (of a person, an institution, an operating entity) or a file name: `requireText`, and no bidi
 * embedding, override or isolate ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
 */
export function requireName(field: string, value: unknown, maxLength: number): string {
  const text = requireText(field, value, maxLength);
  if (BIDI_CONTROLS.test(text))
    throw new InvalidInputError(
      field,
      'must not contain bidirectional embedding, override or isolate characters (U+202A–U+202E, U+2066–U+2069)',
    );
  return text;
}

/** How many characters of a value an error message quotes (`got '…'`): the answer stays small. */
export const QUOTED_INPUT_MAX = 80;

/**
 * A value as an error message quotes it: `String(value)`, cut after `max` characters with '…' (never inside
 * a surrogate pair), so a 30 000-character value is not sent back whole.
 */
export function quotedInput(value: unknown, max = QUOTED_INPUT_MAX): string {
  const text = String(value);
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}

/**
 * Text as people compare it, for telling a repeat from a new entry: compatibility forms folded (NFKC:
 * full-width letters and digits), runs of spacing as one space, ends trimmed.
 */
export function comparableText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

export function requireCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidInputError(field, `must be a whole number >= 0, got ${quotedInput(value)}`);
  return value;
}

/**
 * An area in m² as people write it on a form: a decimal string with up to two places ('5000', '4999.99').
 * Never a JSON number: JSON.parse has already rounded a literal like 4999.9999999999999 to 5000 before any
 * check could see it, and A6.1 is decided to the hundredth.
 */
export function isAreaText(value: unknown): value is string {
  return typeof value === 'string' && AREA_TEXT.test(value);
}

const AREA_TEXT = /^\d{1,9}(\.\d{1,2})?$/;
/** What an area that is not `isAreaText` is told (after the rule, where there is one). */
export const AREA_TEXT_PROBLEM = 'must be a decimal string of m² with up to two places';

/** An area as `isAreaText` takes it, written one way: two places, no leading zeros ('05600.5' → '5600.50'). */
export function areaInTwoPlaces(area: string): string {
  const [whole, fraction = ''] = area.split('.');
  return `${String(Number(whole))}.${fraction.padEnd(2, '0')}`;
}

/** `isAreaText`, or a 400 naming the field (`rule`, when given, leads the message). */
export function requireAreaText(field: string, value: unknown, rule?: string): string {
  if (!isAreaText(value))
    throw new InvalidInputError(
      field,
      `${rule ? `${rule}: ` : ''}${AREA_TEXT_PROBLEM}` +
        (typeof value === 'number' ? ` as text ("4800.00"), not a JSON number` : ''),
    );
  return value;
}

export function requireArray(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'must be a list');
  return value;
}

/**
 * An object; with `keys`, one holding no other field: a misspelt one ("senoir") is refused naming it, as at
 * the top of a request body, instead of read as absent.
 */
export function requireObject(
  field: string,
  value: unknown,
  keys?: readonly string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInputError(field, 'must be an object');
  if (keys) {
    const unknown = Object.keys(value).find((key) => !keys.includes(key));
    if (unknown !== undefined)
      throw new InvalidInputError(`${field}.${unknown}`, `is not a field here; one of ${keys.join(', ')}`);
  }
  return value as Record<string, unknown>;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new InvalidInputError(field, `must be one of ${allowed.join(', ')}, got '${quotedInput(value)}'`);
  return value as T;
}

/** An ISO 8601 instant with an explicit offset (a bare local time would be ambiguous). */
export function requireInstant(field: string, value: unknown): string {
  if (!isIsoInstant(value))
    throw new InvalidInputError(
      field,
      `must be an ISO 8601 instant with offset, got '${quotedInput(value)}'`,
    );
  return value;
}

export function requireDate(field: string, value: unknown): LocalDate {
  if (!isLocalDate(value))
    throw new InvalidInputError(field, `must be a calendar date YYYY-MM-DD, got '${quotedInput(value)}'`);
  return value;
}

export function requireSha256(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/i.test(value))
    throw new InvalidInputError(field, 'must be a SHA-256 hash: 64 hexadecimal characters');
  return value.toLowerCase();
}

/**
 * Runs a libs/rules decision; its bad-input error (naming field and rule) becomes the domain's 400.
 * `renameField` maps the rule's field name to the command's; `note` is added to the message.
 */
export function underRules<T>(run: () => T, renameField: (field: string) => string = (f) => f, note = ''): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RuleInputError) {
      const rule = error.ruleId ? `${error.ruleId}: ` : '';
      throw new InvalidInputError(renameField(error.field), `${rule}${error.problem}${note}`);
    }
    throw error;
  }
}
