import { IntakeEventTypes as I, ReportingEventTypes as P, ReviewEventTypes as R } from '@nqpf/contracts';

/** Where a payload keeps what a person wrote, unless WRITTEN_REASON_FIELDS names other fields for its type. */
export const DEFAULT_WRITTEN_REASON_FIELDS: readonly string[] = ['reason', 'reasons'];

/**
 * The human decisions whose payload keeps the person's text under another name than `reason`/`reasons`:
 * the single source of the table in docs/audit.md section 4 (a test holds the docs to `writtenReasonFieldsTable()`, and
 * each field to the event's contract). The first field holding text is the written reason.
 */
export const WRITTEN_REASON_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // A8: the district office's opinion when it endorses (optional).
  [I.ApplicationEndorsed]: ['opinion'],
  // A9.1: the expert's written opinion beside the score.
  [R.ExpertReviewRecorded]: ['opinion'],
  // A9.1: what the expert found on site.
  [R.SiteInspectionRecorded]: ['finding'],
  // A9.4: the bureau's note when it opens an investigation of an objection (optional).
  [R.ObjectionInvestigationStarted]: ['note'],
  // A17.3a: what the district office's confirmation of a start rests on (a site check, a document).
  [P.OperationStarted]: ['basis'],
};

/** The payload fields an event type keeps its written reason in, first first. */
export function writtenReasonFields(eventType: string): readonly string[] {
  return WRITTEN_REASON_FIELDS[eventType] ?? DEFAULT_WRITTEN_REASON_FIELDS;
}

/**
 * The text a person wrote for a human decision, where the payload of this event type carries one (see
 * `writtenReasonFields`): a sentence, or a list of sentences joined by "; " (as when a district office
 * returns an application). Null when there is none, or only blanks.
 */
export function writtenReason(eventType: string, payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  for (const field of writtenReasonFields(eventType)) {
    const text = asText(p[field]);
    if (text !== null) return text;
  }
  return null;
}

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    const sentences = (value as string[]).filter((v) => v.trim() !== '');
    return sentences.length > 0 ? sentences.join('; ') : null;
  }
  return null;
}

/** WRITTEN_REASON_FIELDS as the markdown table of docs/audit.md section 4 (human decisions). */
export function writtenReasonFieldsTable(): string {
  const code = (s: string) => `\`${s}\``;
  return [
    '| event type | written reason in |',
    '|---|---|',
    ...Object.entries(WRITTEN_REASON_FIELDS).map(
      ([type, fields]) => `| ${code(type)} | ${fields.map(code).join(', ')} |`,
    ),
  ].join('\n');
}
