import { describe, expect, it } from '@jest/globals';
import { mayArriveInNextWindow, nextWindowStartMs, SEND_ALLOWANCE_MS, windowStartSecond } from './aligned-windows';
import { GatewayRateLimit, type RateLimitClock } from './gateway-rate-limit';
import { GatewayRateLimited } from './gateway-rate-limited.error';
import { MemoryWindowCounter } from './memory-window-counter';

/** A clock that moves only when a caller sleeps: the limiter's waits, and nothing else, pass time. */
function manualClock(startMs: number): RateLimitClock & { slept: number[] } {
  let now = startMs;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const T = 1_700_000_000_000; // a whole second

describe('aligned windows', () => {
  it('names a window by its epoch second and opens the next on the second', () => {
    expect(windowStartSecond(T)).toBe(T / 1_000);
    expect(windowStartSecond(T + 999)).toBe(T / 1_000);
    expect(nextWindowStartMs(T + 1)).toBe(T + 1_000);
    expect(nextWindowStartMs(T)).toBe(T + 1_000);
  });

  it('takes a grant in the send allowance before the window ends for one that may land in the next', () => {
    expect(mayArriveInNextWindow(T)).toBe(false);
    expect(mayArriveInNextWindow(T + 999 - SEND_ALLOWANCE_MS)).toBe(false);
    expect(mayArriveInNextWindow(T + 1_000 - SEND_ALLOWANCE_MS)).toBe(true);
    expect(mayArriveInNextWindow(T + 999)).toBe(true);
  });
});

describe(MemoryWindowCounter.name, () => {
  it('takes at most the limit in a window, then starts over in the next', async () => {
    const counter = new MemoryWindowCounter();
    const takes = [];
    for (let i = 0; i < 5; i++) takes.push(await counter.take('card', 100, 3));
    expect(takes).toEqual([true, true, true, false, false]);
    expect(await counter.take('card', 101, 3)).toBe(true);
  });

  it('counts each merchant and each window apart, the next window while the current one lasts', async () => {
    const counter = new MemoryWindowCounter();
    expect(await counter.take('card', 100, 1)).toBe(true);
    expect(await counter.take('phone', 100, 1)).toBe(true);
    expect(await counter.take('card', 100, 1)).toBe(false);
    expect(await counter.take('card', 101, 1)).toBe(true);
    expect(await counter.take('card', 100, 1)).toBe(false);
    expect(await counter.take('card', 101, 1)).toBe(false);
  });
});

describe(GatewayRateLimit.name, () => {
  const merchants = [
    { name: 'card', rateLimit: 3 },
    { name: 'phone', rateLimit: 1 },
  ];

  it('never grants more than the merchant rate in an aligned window, and fills each window', async () => {
    const clock = manualClock(T + 250);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, clock);
    const granted: number[] = [];
    for (let i = 0; i < 10; i++) {
      await limit.acquire('card');
      granted.push(clock.now());
    }

    const perWindow = new Map<number, number>();
    for (const at of granted) perWindow.set(windowStartSecond(at), (perWindow.get(windowStartSecond(at)) ?? 0) + 1);
    expect([...perWindow.values()]).toEqual([3, 3, 3, 1]);
    // A full window's waiter sleeps to the next second, exactly: one look at the store a window.
    expect(clock.slept).toEqual([750, 1_000, 1_000]);
  });

  it('counts a slot taken late in its window in the next window too, where its request may land', async () => {
    const clock = manualClock(T + 900);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, clock);
    await limit.acquire('card');
    await limit.acquire('card');
    expect(clock.now()).toBe(T + 900); // no wait while there is room
    clock.slept.length = 0;
    const granted: number[] = [];
    for (let i = 0; i < 3; i++) {
      await limit.acquire('card');
      granted.push(clock.now());
    }
    // Card's rate is 3: the three late slots fill both seconds, so the next slots come at T+2 s.
    expect(granted).toEqual([T + 900, T + 2_000, T + 2_000]);
  });

  it('gives each merchant its own rate, and the default to one not configured', async () => {
    const clock = manualClock(T);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 2, clock);
    await limit.acquire('phone');
    await limit.acquire('card');
    await limit.acquire('retired');
    await limit.acquire('retired');
    expect(clock.now()).toBe(T);
    await limit.acquire('retired');
    expect(clock.now()).toBe(T + 1_000);
    expect(limit.limitOf('card')).toBe(3);
  });

  it('untilOpen waits out a window a caller here found full, asking no one, and lets through at once otherwise', async () => {
    const clock = manualClock(T + 400);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, clock);
    await limit.acquire('phone');
    await limit.untilOpen('phone'); // full, but no caller here has found it so yet
    expect(clock.now()).toBe(T + 400);

    await expect(limit.acquireWithin('phone', 0)).rejects.toBeInstanceOf(GatewayRateLimited);
    await limit.untilOpen('card');
    expect(clock.now()).toBe(T + 400);
    await limit.untilOpen('phone');
    expect(clock.slept).toEqual([600]);
    await limit.acquire('phone');
    expect(clock.now()).toBe(T + 1_000);
  });

  it('acquireWithin takes a slot that comes within the wait', async () => {
    const clock = manualClock(T + 500);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, clock);
    await limit.acquire('phone');
    await limit.acquireWithin('phone', 600);
    expect(clock.now()).toBe(T + 1_000);
  });

  it('acquireWithin throws GatewayRateLimited with a Retry-After of at least a second when none comes in time', async () => {
    const clock = manualClock(T + 100);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, clock);
    await limit.acquire('phone');

    const refusal = await limit.acquireWithin('phone', 500).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(GatewayRateLimited);
    expect(refusal).toMatchObject({ merchant: 'phone', retryAfterSeconds: 1 });
    expect(clock.now()).toBe(T + 100); // nothing waited for that could not end in a slot
    await expect(limit.acquireWithin('phone', 0)).rejects.toBeInstanceOf(GatewayRateLimited);
  });
});
