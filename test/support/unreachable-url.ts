/**
 * A base URL nothing listens on (the discard port on loopback): what is sent there is lost at once.
 * A service's PUBLIC_BASE_URL for tests where the gateway's notifications must not arrive, so that
 * the service learns outcomes only by itself (its answer, the janitor, sync).
 */
export const UNREACHABLE_URL = 'http://127.0.0.1:9';
