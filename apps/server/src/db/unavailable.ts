/** Postgres error classes / socket errors meaning "the database is not there right now". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3])/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when `error` says the database is unreachable (restart, failover, network) rather than that
 * the statement was wrong: worth a retry, or a 503 for an HTTP caller, never a 500.
 *
 * @example
 * try { await db.selectFrom('bps').selectAll().execute(); }
 * catch (error: unknown) { if (isDatabaseUnavailable(error)) return retryLater(); throw error; }
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(error.message);
}
