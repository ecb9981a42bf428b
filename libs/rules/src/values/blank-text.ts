/**
 * Unicode format characters (general category Cf): zero-width space and joiners (U+200B–U+200F), bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), word joiner and invisible operators
 * (U+2060–U+2064), the BOM (U+FEFF), tags. They show nothing by themselves.
 */
const FORMAT_CHARACTERS = /[\p{Cf}\u2065]/gu;

/**
 * A text that shows nothing: empty, spacing only, or format characters only (a "reason" of U+202E U+200B).
 * Only the check ignores them: text that passes is kept as given (a zero-width joiner inside an emoji stays).
 */
export function isBlankText(text: string): boolean {
  return text.replace(FORMAT_CHARACTERS, '').trim() === '';
}
