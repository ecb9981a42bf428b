import type { EventToReplay } from './replay-events';

let n = 0;

/** One stream's events, in order, as a store holds them (of `centerId`, else the stream's own id). */
export const replayStream = (
  streamId: string,
  events: { type: string; payload: unknown }[],
  centerId = streamId,
): EventToReplay[] =>
  events.map((e) => ({
    id: `e-${++n}`,
    type: e.type,
    streamId,
    centerId,
    payload: e.payload,
    recordedAt: '2030-01-01T00:00:00.000Z',
    occurredAt: '2026-03-10T02:00:00.000Z',
  }));
