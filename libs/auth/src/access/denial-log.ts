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
}
