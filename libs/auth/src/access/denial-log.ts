/** The part of a pino logger we use; inject the service's logger (pino or nestjs-pino's PinoLogger.logger). */
export interface AuthLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * One denial, as logged: who, acting as what, on which route and object, and why. Never tokens or bodies.
 * 404: an object outside the actor's scope, answered as an unknown id (assertCanActOrNotFound).
 */
export interface Denial {
  status: 401 | 403 | 404;
  actorId?: string | null;
  role?: string | null;
  route: string;
  objectId?: string | null;
  reason: string;
}

export function logDenial(logger: AuthLogger, denial: Denial): void {
  logger.warn({ event: 'access_denied', ...denial }, `access denied: ${denial.reason}`);
  for (const listener of denialListeners()) listener(denial);
}

type DenialListener = (denial: Denial) => void;

/** On globalThis under Symbol.for, so shared by whichever copies of the library a process loaded. */
const LISTENERS = Symbol.for('nqpf.auth.denialListeners');

function denialListeners(): Set<DenialListener> {
  const shared = globalThis as { [LISTENERS]?: Set<DenialListener> };
  return (shared[LISTENERS] ??= new Set());
}

/**
 * Calls `listener` with every denial logged from now on until the returned function is called: how the
 * access matrix sees a refusal answered as an unknown id (a 404 it cannot tell from the status alone).
 */
export function observeDenials(listener: DenialListener): () => void {
  denialListeners().add(listener);
  return () => denialListeners().delete(listener);
}
