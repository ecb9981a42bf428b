/**
 * The reason a person wrote for a human decision, where the payload carries one: `reason` (a sentence)
 * or `reasons` (a list of sentences, as when a district office returns an application).
 */
export function writtenReason(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  const p = payload as { reason?: unknown; reasons?: unknown };
  if (typeof p.reason === 'string' && p.reason.trim() !== '') return p.reason;
  if (Array.isArray(p.reasons) && p.reasons.length > 0 && p.reasons.every((r) => typeof r === 'string'))
    return (p.reasons as string[]).join('; ');
  return null;
}
