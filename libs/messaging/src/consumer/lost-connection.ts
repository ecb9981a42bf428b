/**
 * A PostgreSQL error that means the connection (or the server) went away rather than the statement being
 * wrong: SQLSTATE class 57 (terminated, shutting down) or 08, or a socket cut. Worth a retry, never a 500
 * or a dead letter.
 */
export function isLostDatabaseConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as Error & { code?: unknown };
  if (typeof code === 'string' && /^(57P0[1-3]|08[0-9A-Z]{3}|ECONNRESET|ECONNREFUSED|EPIPE)$/.test(code))
    return true;
  return /Connection terminated|Client has encountered a connection error/.test(error.message);
}
