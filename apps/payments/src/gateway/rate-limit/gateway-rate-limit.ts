import type { ConfiguredMerchant } from '../../config/app-config';
import { mayArriveInNextWindow, nextWindowStartMs, WINDOW_MS, windowStartSecond } from './aligned-windows';
import { GatewayRateLimited } from './gateway-rate-limited.error';
import type { WindowCounter } from './window-counter';

export interface RateLimitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const SYSTEM_CLOCK: RateLimitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The gateway's request rate, one per merchant (MID) and shared by every instance: at most the
 * merchant's `rateLimit` requests in any aligned one-second window, counted in PostgreSQL (or in
 * memory on SQLite, a single instance). A caller that finds the window used up sleeps until the
 * next one starts, so a waiter asks the store about once a second. A request granted in a window's
 * last SEND_ALLOWANCE_MS may land in the next window, so the gateway, not only the counter, sees at
 * most the rate in every aligned second:
 * - an API call, which must not wait, takes a slot of both windows ({@link acquireWithin});
 * - background work takes a slot of the next window only and waits for it to begin ({@link acquire}):
 *   at most SEND_ALLOWANCE_MS later, and no slot is counted twice, so busy windows fill to the rate.
 */
export class GatewayRateLimit {
  private readonly limits: ReadonlyMap<string, number>;
  /** Per merchant, when the latest window this process found full ends (epoch ms). */
  private readonly fullUntil = new Map<string, number>();

  constructor(
    private readonly counter: WindowCounter,
    merchants: readonly Pick<ConfiguredMerchant, 'name' | 'rateLimit'>[],
    /** The rate of a merchant no longer configured (an old billing key's). */
    private readonly defaultLimit: number,
    private readonly clock: RateLimitClock = SYSTEM_CLOCK,
  ) {
    this.limits = new Map(merchants.map((m) => [m.name, m.rateLimit]));
  }

  /**
   * Waits as long as it takes for one of `merchant`'s slots: for background work (scheduler,
   * reconciliation, resolvers). Late in a window it resolves when the next one begins.
   */
  async acquire(merchant: string): Promise<void> {
    await this.take(merchant, Number.POSITIVE_INFINITY, 'defer');
  }

  /** Waits at most `maxWaitMs` for one of `merchant`'s slots; throws {@link GatewayRateLimited} when none came. */
  async acquireWithin(merchant: string, maxWaitMs: number): Promise<void> {
    await this.take(merchant, maxWaitMs, 'span');
  }

  /**
   * Resolves once this process knows of no full window of `merchant` now (it sleeps to the end of one
   * a caller here found full), asking no one: for a caller with work to do before it takes its slot.
   */
  async untilOpen(merchant: string): Promise<void> {
    const wait = (this.fullUntil.get(merchant) ?? 0) - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
  }

  /** Deletes the counts of windows long past (the janitor's work; the store decides how long is long). */
  async forgetOldWindows(): Promise<void> {
    await this.counter.forgetOld(windowStartSecond(this.clock.now()));
  }

  limitOf(merchant: string): number {
    return this.limits.get(merchant) ?? this.defaultLimit;
  }

  private async take(merchant: string, maxWaitMs: number, late: LateGrant): Promise<void> {
    const limit = this.limitOf(merchant);
    const deadline = this.clock.now() + maxWaitMs;
    for (;;) {
      const now = this.clock.now();
      const window = windowStartSecond(now);
      if (!mayArriveInNextWindow(now)) {
        if (await this.counter.take(merchant, window, limit)) return;
      } else if (late === 'span') {
        // A full next window wastes this one's slot; the caller waits for the window after.
        if (await this.counter.takeSpanning(merchant, window, limit)) return;
      } else if (await this.counter.take(merchant, window + 1, limit)) {
        await this.clock.sleep(Math.max(0, nextWindowStartMs(now) - this.clock.now()));
        return;
      }
      // Full up to `next`. From the time asked: when the store was slow and that has begun, it is tried at once.
      const next =
        late === 'defer' && mayArriveInNextWindow(now) ? nextWindowStartMs(now) + WINDOW_MS : nextWindowStartMs(now);
      this.fullUntil.set(merchant, Math.max(next, this.fullUntil.get(merchant) ?? 0));
      if (next > deadline) throw new GatewayRateLimited(merchant, Math.max(1, Math.ceil((next - now) / 1_000)));
      await this.clock.sleep(Math.max(0, next - this.clock.now()));
    }
  }
}

/** What a grant late in a window does about its request landing in the next: count it in both, or wait for the next. */
type LateGrant = 'span' | 'defer';
