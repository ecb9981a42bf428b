import type { EventToReplay } from './replay-events';

let n = 0;

/** A fixed instant for events that name no day of their own (2026-03-10, 10:00 in Shanghai). */
const FIXED = '2026-03-10T02:00:00.000Z';

/**
 * When the service's clock read as it recorded the event (`occurredAt`): the one given, else the day its
 * decision says it was decided on (finance's `decidedOn` is the Asia/Shanghai day of that reading), at
 * 10:00 in Shanghai, else a fixed instant. A decider's events carry no envelope; this stands in for it.
 */
function occurredAt(e: { payload: unknown; occurredAt?: string }): string {
  if (e.occurredAt !== undefined) return e.occurredAt;
  const decidedOn = (e.payload as { decision?: { inputs?: { decidedOn?: unknown } } } | null)?.decision
    ?.inputs?.decidedOn;
  return typeof decidedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(decidedOn)
    ? `${decidedOn}T10:00:00.000+08:00`
    : FIXED;
}

/** One stream's events, in order, as a store holds them (of `centerId`, else the stream's own id). */
export const replayStream = (
  streamId: string,
  events: { type: string; payload: unknown; occurredAt?: string }[],
  centerId = streamId,
): EventToReplay[] =>
  events.map((e) => ({
    id: `e-${++n}`,
    type: e.type,
    schemaVersion: 1,
    streamId,
    centerId,
    payload: e.payload,
    recordedAt: '2030-01-01T00:00:00.000Z',
    occurredAt: occurredAt(e),
  }));
