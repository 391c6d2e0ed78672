import { Logger } from '@nestjs/common';
import { PaystoryNotSentError } from '@app/paystory';
import type { ConfiguredMerchant } from '../../config/app-config';
import { mayArriveInNextWindow, nextWindowStartMs, sendDeadlineMs, windowStartSecond } from './aligned-windows';
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

export interface GatewayRateLimitOptions {
  clock?: RateLimitClock;
  /** Told of each slot that ran out before its request could leave (the request then waits for another). */
  onSlotExpired?: (merchant: string) => void;
}

/**
 * Permission to send one request to a merchant's gateway: until `sendBy` (epoch ms), the last
 * instant its request may leave and still land in a window that counted it.
 */
export interface GatewaySlot {
  merchant: string;
  sendBy: number;
  /** The windows that counted it (epoch seconds), given back to if no request goes under it. */
  windows?: readonly number[];
  /** Set once a request was made under it, or it was given back: it is given back once at most, and never after use. */
  spent?: boolean;
}

/**
 * The gateway's request rate, one per merchant (MID) and shared by every instance: at most the
 * merchant's `rateLimit` requests in any aligned one-second window, counted in PostgreSQL, in Redis
 * when configured, or in memory on SQLite (a single instance). A caller that finds the window used up sleeps until the
 * next one starts, so a waiter asks the store about once a second. A slot taken in a window's last
 * SEND_ALLOWANCE_MS is taken in the next window too; every slot's request is sent by its deadline
 * or not at all ({@link callUnder}): the gateway, not only the counter, sees at most the rate in
 * every aligned second, however slow the process between slot and request.
 */
export class GatewayRateLimit {
  private readonly logger = new Logger(GatewayRateLimit.name);
  private readonly clock: RateLimitClock;
  private readonly limits: ReadonlyMap<string, number>;
  /** Per merchant, when the latest window this process found full ends (epoch ms). */
  private readonly fullUntil = new Map<string, number>();

  constructor(
    private readonly counter: WindowCounter,
    merchants: readonly Pick<ConfiguredMerchant, 'name' | 'rateLimit'>[],
    /** The rate of a merchant no longer configured (an old billing key's). */
    private readonly defaultLimit: number,
    private readonly options: GatewayRateLimitOptions = {},
  ) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.limits = new Map(merchants.map((m) => [m.name, m.rateLimit]));
  }

  /** Waits as long as it takes for one of `merchant`'s slots: for background work (scheduler, reconciliation, resolvers). */
  acquire(merchant: string): Promise<GatewaySlot> {
    return this.take(merchant, Number.POSITIVE_INFINITY);
  }

  /** Waits at most `maxWaitMs` for one of `merchant`'s slots; throws {@link GatewayRateLimited} when none came. */
  acquireWithin(merchant: string, maxWaitMs: number): Promise<GatewaySlot> {
    return this.take(merchant, maxWaitMs);
  }

  /**
   * One call to `merchant`'s gateway under a slot of its own ({@link acquire}, then {@link callUnder}),
   * waited for as long as it takes: for background work, and for a request whose work is already
   * written (a claimed registration, a charge refused as a duplicate order).
   */
  async send<T>(merchant: string, call: (sendBy: number) => Promise<T>): Promise<T> {
    return this.callUnder(await this.acquire(merchant), call);
  }

  /**
   * The same for an API request that has written nothing yet: at most `maxWaitMs` for the slot, else
   * {@link GatewayRateLimited} (a 429 that changed nothing).
   */
  async sendWithin<T>(merchant: string, maxWaitMs: number, call: (sendBy: number) => Promise<T>): Promise<T> {
    return this.callUnder(await this.acquireWithin(merchant, maxWaitMs), call);
  }

  /**
   * Makes a gateway call with `slot`'s deadline (the library's `sendBy`). When the request could not
   * leave by then (`PaystoryNotSentError`: the gateway saw nothing), it waits for a new slot and
   * makes the call again under that one, as often as it takes. A process that was too slow for one
   * slot gets a second's grace on the next: it is taken in two windows (see {@link take}), so that
   * a lagging process does not spend a slot of every window on the same request.
   */
  async callUnder<T>(slot: GatewaySlot, call: (sendBy: number) => Promise<T>): Promise<T> {
    slot.spent = true;
    for (let current = slot; ; current = await this.retrySlot(slot.merchant)) {
      try {
        return await call(current.sendBy);
      } catch (error) {
        if (!(error instanceof PaystoryNotSentError)) throw error;
        // Counted, not logged: it happens to many requests at once when the process is overloaded.
        this.options.onSlotExpired?.(slot.merchant);
        this.logger.debug(
          `A request to merchant ${slot.merchant} could not leave by its slot's deadline: waiting for a new slot`,
        );
      }
    }
  }

  /**
   * Gives `slot` back to the windows that counted it, when no request was made under it (the work it
   * was taken for needed none after all: a twin of a request already made, an order or a cancel
   * that exists already, a refusal found after the slot): another request may have it. A slot used,
   * given back already, or past its deadline (its windows are over) stays as it is. A failure to
   * give it back only wastes it.
   */
  async giveBackUnused(slot: GatewaySlot | undefined): Promise<void> {
    if (!slot?.windows || slot.spent || this.clock.now() >= slot.sendBy) return;
    slot.spent = true;
    await this.counter
      .giveBack(slot.merchant, slot.windows)
      .catch((error: Error) =>
        this.logger.warn(`A slot of merchant ${slot.merchant} not given back: ${error.message}`),
      );
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

  /** For a request whose slot ran out: counted in this window and the next, so that it has a second's grace. */
  private retrySlot(merchant: string): Promise<GatewaySlot> {
    return this.take(merchant, Number.POSITIVE_INFINITY, true);
  }

  /** A slot, counted in the window now and, when `spanning` or late in it, in the next one too. */
  private async take(merchant: string, maxWaitMs: number, spanning = false): Promise<GatewaySlot> {
    const limit = this.limitOf(merchant);
    const deadline = this.clock.now() + maxWaitMs;
    for (;;) {
      const now = this.clock.now();
      const twoWindows = spanning || mayArriveInNextWindow(now);
      if (await this.takeAt(merchant, now, limit, twoWindows)) {
        const window = windowStartSecond(now);
        return {
          merchant,
          sendBy: sendDeadlineMs(now, twoWindows),
          windows: twoWindows ? [window, window + 1] : [window],
        };
      }
      // From the time asked: when the store was slow and the next window has begun, it is tried at once.
      const next = nextWindowStartMs(now);
      this.fullUntil.set(merchant, Math.max(next, this.fullUntil.get(merchant) ?? 0));
      if (next > deadline) throw new GatewayRateLimited(merchant, Math.max(1, Math.ceil((next - now) / 1_000)));
      await this.clock.sleep(Math.max(0, next - this.clock.now()));
    }
  }

  private async takeAt(merchant: string, now: number, limit: number, twoWindows: boolean): Promise<boolean> {
    const window = windowStartSecond(now);
    // A slot that may be used in the next window takes a slot of both (a full next window wastes this
    // one's slot; the caller waits for the window after).
    return twoWindows ? this.counter.takeSpanning(merchant, window, limit) : this.counter.take(merchant, window, limit);
  }
}
