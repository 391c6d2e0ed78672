import { UNREACHABLE_URL } from '../support/unreachable-url';

/**
 * Timings of a service under the fault harness: a gateway call gives up after 400 ms; a charge
 * nobody finished counts as abandoned after 1 s, and an in-flight Idempotency-Key's lease passes
 * after 1 s (both must outlast the gateway call, or the service refuses to boot; the key is taken
 * over only once its owner process is gone too). The resolver asks again at once (no backoff), so
 * a schedule settles in seconds.
 */
export const GATEWAY_TIMEOUT_MS = 400;
export const STALE_AFTER_MS = 1_000;
export const IDEMPOTENCY_LEASE_MS = 1_000;
/**
 * A killed child process leaves its heartbeat row: its in-flight keys are free only once that row
 * is this old (and their lease has passed). Heartbeats every 300 ms: an instance fences itself after
 * half of this without one, which a busy machine's SQLite writes must not reach.
 */
export const INSTANCE_HEARTBEAT_MS = 300;
export const INSTANCE_DEAD_AFTER_MS = 2_000;
/** How long after a kill a retry of a key the dead process held waits before it can take the key over. */
export const KILLED_KEY_FREE_AFTER_MS = Math.max(IDEMPOTENCY_LEASE_MS, INSTANCE_DEAD_AFTER_MS);
/** Five times the longest late processing a schedule asks of the sandbox (2,000 ms). */
export const CANCEL_RELEASE_AFTER_MS = 10_000;

export const FAULT_HARNESS_ENV: Readonly<Record<string, string>> = {
  PAYSTORY_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
  JANITOR_STALE_AFTER_MS: String(STALE_AFTER_MS),
  IDEMPOTENCY_LEASE_MS: String(IDEMPOTENCY_LEASE_MS),
  JANITOR_BACKOFF_MS: '0',
  // A twin request in flight is answered 409 soon, as a client's retry would see it.
  IDEMPOTENCY_WAIT_MS: '300',
  SUBSCRIPTION_RATE_LIMIT: '10000',
  SUBSCRIPTION_CLAIM_LEASE_MS: String(IDEMPOTENCY_LEASE_MS),
  // As in production, a partial cancel the gateway never shows is released only well after the
  // gateway's worst processing time (the sandbox's late processing: 2 s here, 24 h in production);
  // held for ever, the harness's thousands of such cancels would queue before every new one.
  JANITOR_CANCEL_RELEASE_AFTER_MS: String(CANCEL_RELEASE_AFTER_MS),
};

/** In process the harness drives the janitor and the scheduler itself (runNow, runDue). */
export const IN_PROCESS_ENV: Readonly<Record<string, string>> = {
  ...FAULT_HARNESS_ENV,
  JANITOR_ENABLED: 'false',
  SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
};

/** A child process runs its own janitor and scheduler, often. */
export const CHILD_PROCESS_ENV: Readonly<Record<string, string>> = {
  ...FAULT_HARNESS_ENV,
  JANITOR_ENABLED: 'true',
  JANITOR_INTERVAL_MS: '200',
  INSTANCE_HEARTBEAT_MS: String(INSTANCE_HEARTBEAT_MS),
  INSTANCE_DEAD_AFTER_MS: String(INSTANCE_DEAD_AFTER_MS),
  SUBSCRIPTION_SCHEDULER_ENABLED: 'true',
  SUBSCRIPTION_INTERVAL_MS: '300',
};

/** Where the gateway's notifications go when a service must learn outcomes by itself. */
export const NOTIFICATIONS_LOST_URL = UNREACHABLE_URL;

/** The sandbox's own timings: held connections outlast the gateway timeout; notifications retry fast. */
export const SANDBOX_OPTIONS = {
  hangMs: 1_000,
  slowMs: 700,
  lateHoldMs: 200,
  notiRetryDelaysMs: [100, 300, 600],
} as const;
