import type { EventEnvelope } from '@nqpf/contracts';

/** The center an event is about: the envelope's center id, else the payload's application or center id. */
export function centerOfEvent(event: EventEnvelope): string | null {
  if (event.centerId) return event.centerId;
  const payload = event.payload as { applicationId?: unknown; centerId?: unknown } | null;
  if (typeof payload?.centerId === 'string') return payload.centerId;
  if (typeof payload?.applicationId === 'string') return payload.applicationId;
  return null;
}
