/**
 * Whether an error means the database cannot take work right now (down, restarting, full of
 * connections, locked by another writer past the busy timeout), as opposed to a fault in the
 * request or the code. Such a request is answered 503 with Retry-After, and its Idempotency-Key is
 * not kept as answered, so the same request can run once the database is back.
 *
 * Returns the driver's code (`ECONNREFUSED`, `57P01`, `SQLITE_BUSY`…) for the log, or undefined.
 * It looks through TypeORM's `QueryFailedError.driverError`, `cause` and `AggregateError.errors`.
 * The gateway's network errors never get here: the gateway library wraps them in its own types,
 * which the problem mapping checks first.
 */
export function databaseUnavailableReason(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && isUnavailableCode(code)) return code;
  if (typeof message === 'string' && CONNECTION_LOST.test(message)) return 'connection lost';
  for (const inner of [driverError, cause, ...(Array.isArray(errors) ? errors : [])]) {
    const reason = databaseUnavailableReason(inner, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}

/** A socket that could not be opened or was lost: the database server (or the way to it) is down. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01 admin shutdown, 57P02 crash
 * shutdown, 57P03 cannot connect now (starting up, shutting down), 53300 too many connections.
 */
const POSTGRES_CODES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/**
 * better-sqlite3: BUSY/LOCKED once the busy timeout has passed (another process holds the write
 * lock), CANTOPEN and IOERR (the file or its disk is not usable), extended codes included
 * (`SQLITE_IOERR_WRITE`, `SQLITE_BUSY_SNAPSHOT`).
 */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR)(_|$)/;

/** pg's and pg-pool's own messages for a connection lost mid-use or not opened within `connectionTimeoutMillis`. */
const CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

function isUnavailableCode(code: string): boolean {
  return SOCKET_CODES.has(code) || POSTGRES_CODES.test(code) || SQLITE_CODES.test(code);
}
