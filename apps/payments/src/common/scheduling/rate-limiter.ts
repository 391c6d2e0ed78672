/**
 * How much later one slot's request usually reaches the gateway than another's (its payment row is
 * written between the slot and the request). Slots are spread over this much more than a second, so
 * that the gateway too sees about `perSecond` a second. A longer delay (a slow commit, a pause of the
 * process) can still bring two requests closer: the hard bound at the gateway is the merchant's
 * shared rate (GatewayRateLimit), whose slots carry deadlines.
 */
export const SEND_DELAY_ALLOWANCE_MS = 100;

/**
 * Spaces calls so that at most `perSecond` start in any second (per instance): callers are let
 * through one by one, each a gap after the previous one actually went. Keeps the scheduler within
 * the gateway's request rate.
 */
export class RateLimiter {
  private lastGrant = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();
  private readonly gapMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.gapMs = (1000 + SEND_DELAY_ALLOWANCE_MS) / perSecond;
  }

  acquire(): Promise<void> {
    this.queue = this.queue.then(() => this.waitForGap());
    return this.queue;
  }

  // Measured from when the previous caller really went, never from a slot booked ahead: a timer
  // that fires late (a busy event loop) then delays the callers behind it instead of bunching them.
  private async waitForGap(): Promise<void> {
    for (
      let wait = this.lastGrant + this.gapMs - this.now();
      wait > 0;
      wait = this.lastGrant + this.gapMs - this.now()
    ) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.lastGrant = this.now();
  }
}
