/**
 * How much later one slot's request may reach the gateway than another's (its payment row is
 * written between the slot and the request). Slots are spread over this much more than a second,
 * so that the gateway, not only this limiter, never sees more than `perSecond` in any second.
 */
export const SEND_DELAY_ALLOWANCE_MS = 100;

/**
 * Spaces calls so that at most `perSecond` start in any second (per instance): each caller waits
 * for its own slot. Keeps the scheduler within the gateway's request rate.
 */
export class RateLimiter {
  private nextSlot = 0;
  private readonly gapMs: number;

  constructor(perSecond: number, private readonly now: () => number = Date.now) {
    this.gapMs = (1000 + SEND_DELAY_ALLOWANCE_MS) / perSecond;
  }

  async acquire(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.gapMs;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}

/** Runs `work` over `items` with at most `limit` in flight at once. */
export async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
