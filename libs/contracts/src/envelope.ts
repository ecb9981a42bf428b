/** Roles of RULES.md "Actors", plus `system` for automated decisions (timers, consumers). */
export const ROLES = [
  'city_bureau',
  'district_office',
  'operator',
  'expert',
  'finance_officer',
  'auditor',
  'public',
  'system',
] as const;
export type Role = (typeof ROLES)[number];

/** Who caused an event. Recorded in every event a request causes. */
export interface Actor {
  id: string;
  role: Role;
  /** District-level unit, for district offices. */
  district?: string | null;
  /** The operator's own center. */
  centerId?: string | null;
}

/**
 * The envelope every stored and published event carries (ARCHITECTURE.md "Events").
 * `hash` is SHA-256 over the canonical JSON of every other field, `previousHash` links the stream's chain.
 */
export interface EventEnvelope<P = unknown> {
  id: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  /** 1 for a stream's first event. */
  streamVersion: number;
  /** Per-store position, unique but not commit-ordered (see docs/event-store.md); a decimal string (bigint). */
  position: string;
  occurredAt: string;
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  centerId: string | null;
  payload: P;
  previousHash: string | null;
  hash: string;
}

/** What a producer supplies; the store fills in stream version, position, times, hashes. */
export interface NewEvent<P = unknown> {
  id?: string;
  type: string;
  schemaVersion: number;
  payload: P;
  centerId?: string | null;
  occurredAt?: string;
}
