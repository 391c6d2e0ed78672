/** Injection token for the clock the signer stamps `ediDate` with. Override it in tests. */
export const PAYSTORY_CLOCK = Symbol('PAYSTORY_CLOCK');

/** Timeout for one gateway call when the options set none (ms). */
export const DEFAULT_TIMEOUT_MS = 15_000;
