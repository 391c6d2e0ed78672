import { describe, expect, it } from '@jest/globals';
import { PaystoryNotSentError } from '@app/paystory';
import {
  mayArriveInNextWindow,
  nextWindowStartMs,
  SEND_ALLOWANCE_MS,
  sendDeadlineMs,
  TRANSIT_MS,
  windowStartSecond,
} from './aligned-windows';
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

  it("gives a slot's request until TRANSIT_MS before the end of the last window the slot counts in", () => {
    expect(SEND_ALLOWANCE_MS).toBe(100);
    expect(sendDeadlineMs(T)).toBe(T + 1_000 - TRANSIT_MS);
    expect(sendDeadlineMs(T + 899)).toBe(T + 1_000 - TRANSIT_MS);
    // Counted in both windows: it may leave until the end of the second.
    expect(sendDeadlineMs(T + 900)).toBe(T + 2_000 - TRANSIT_MS);
    expect(sendDeadlineMs(T + 999)).toBe(T + 2_000 - TRANSIT_MS);
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
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
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
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
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

  it("hands out each slot with its request's send deadline and the windows that count it", async () => {
    const clock = manualClock(T + 250);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
    const second = T / 1_000;
    expect(await limit.acquire('card')).toEqual({
      merchant: 'card',
      sendBy: T + 1_000 - TRANSIT_MS,
      windows: [second],
    });
    await limit.acquire('phone');
    // Phone's one slot of this second is gone: the next comes at T + 1 s, for that second.
    expect(await limit.acquireWithin('phone', 1_000)).toEqual({
      merchant: 'phone',
      sendBy: T + 2_000 - TRANSIT_MS,
      windows: [second + 1],
    });
  });

  it('gives an unused slot back to its window, where the next caller takes it without waiting', async () => {
    const clock = manualClock(T + 250);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
    const unused = await limit.acquire('phone');

    await limit.giveBackUnused(unused);
    await limit.giveBackUnused(unused); // once only: a second give-back would make room for two

    expect(await limit.acquire('phone')).toMatchObject({ windows: [T / 1_000] });
    expect(clock.slept).toEqual([]);
    expect(await limit.acquireWithin('phone', 1_000)).toMatchObject({ windows: [T / 1_000 + 1] });
    expect(clock.slept).toEqual([750]);
  });

  it('gives back to both windows a slot taken late in its window', async () => {
    const clock = manualClock(T + 950);
    const counter = new MemoryWindowCounter();
    const limit = new GatewayRateLimit(counter, merchants, 50, { clock });
    const late = await limit.acquire('phone');
    expect(late.windows).toEqual([T / 1_000, T / 1_000 + 1]);

    await limit.giveBackUnused(late);

    expect(await counter.take('phone', T / 1_000, 1)).toBe(true);
    expect(await counter.take('phone', T / 1_000 + 1, 1)).toBe(true);
  });

  it('never gives back a slot a request went under, nor one past its deadline', async () => {
    const clock = manualClock(T + 250);
    const counter = new MemoryWindowCounter();
    const limit = new GatewayRateLimit(counter, merchants, 50, { clock });
    const used = await limit.acquire('phone');
    await limit.callUnder(used, () => Promise.reject(new Error('the gateway answered nothing'))).catch(() => undefined);
    await limit.giveBackUnused(used);
    expect(await counter.take('phone', T / 1_000, 1)).toBe(false);

    const expired = await limit.acquire('phone'); // the next second's, at T + 1 s
    await clock.sleep(1_000);
    await limit.giveBackUnused(expired);
    expect(await counter.take('phone', T / 1_000 + 1, 1)).toBe(false);
  });

  it('callUnder sends under the slot, and under a new slot when one ran out before its request could leave', async () => {
    const clock = manualClock(T + 250);
    const counter = new MemoryWindowCounter();
    const limit = new GatewayRateLimit(counter, merchants, 50, { clock });
    const slot = await limit.acquire('phone');
    const deadlines: number[] = [];
    const answer = await limit.callUnder(slot, (sendBy) => {
      deadlines.push(sendBy);
      // The first time the process was too slow: the library refused to send past the deadline.
      if (deadlines.length === 1) return Promise.reject(new PaystoryNotSentError('charge', sendBy));
      return Promise.resolve('approved');
    });

    expect(answer).toBe('approved');
    // Phone's rate is 1: the second call waited for the next second, and its slot, taken in that second
    // and the one after, gives the slow process until the end of both.
    expect(deadlines).toEqual([T + 1_000 - TRANSIT_MS, T + 3_000 - TRANSIT_MS]);
    expect(clock.now()).toBe(T + 1_000);
    expect(await counter.take('phone', windowStartSecond(T + 1_000), 1)).toBe(false);
    expect(await counter.take('phone', windowStartSecond(T + 2_000), 1)).toBe(false);
    expect(await counter.take('phone', windowStartSecond(T + 3_000), 1)).toBe(true);
  });

  it('callUnder passes on any other failure of the call, taking no second slot', async () => {
    const clock = manualClock(T + 250);
    const counter = new MemoryWindowCounter();
    const limit = new GatewayRateLimit(counter, merchants, 50, { clock });
    let calls = 0;
    const failure = await limit
      .callUnder(await limit.acquire('phone'), () => {
        calls++;
        return Promise.reject(new Error('connection reset'));
      })
      .catch((error: Error) => error.message);

    expect(failure).toBe('connection reset');
    expect(calls).toBe(1);
    expect(await counter.take('phone', windowStartSecond(T + 1_000), 1)).toBe(true);
  });

  it('gives each merchant its own rate, and the default to one not configured', async () => {
    const clock = manualClock(T);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 2, { clock });
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
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
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
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
    await limit.acquire('phone');
    await limit.acquireWithin('phone', 600);
    expect(clock.now()).toBe(T + 1_000);
  });

  it('acquireWithin throws GatewayRateLimited with a Retry-After of at least a second when none comes in time', async () => {
    const clock = manualClock(T + 100);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
    await limit.acquire('phone');

    const refusal = await limit.acquireWithin('phone', 500).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(GatewayRateLimited);
    expect(refusal).toMatchObject({ merchant: 'phone', retryAfterSeconds: 1 });
    expect(clock.now()).toBe(T + 100); // nothing waited for that could not end in a slot
    await expect(limit.acquireWithin('phone', 0)).rejects.toBeInstanceOf(GatewayRateLimited);
  });

  it('send waits for its slot and calls with its deadline; sendWithin refuses without calling when none comes in time', async () => {
    const clock = manualClock(T + 100);
    const limit = new GatewayRateLimit(new MemoryWindowCounter(), merchants, 50, { clock });
    const deadlines: number[] = [];
    const call = (sendBy: number) => {
      deadlines.push(sendBy);
      return Promise.resolve('sent');
    };

    expect(await limit.send('phone', call)).toBe('sent');
    const refusal = await limit.sendWithin('phone', 500, call).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GatewayRateLimited);
    expect(await limit.send('phone', call)).toBe('sent');

    // Phone's rate is 1: the first in this second, none for the refused one, the last in the next second.
    expect(deadlines).toEqual([T + 1_000 - TRANSIT_MS, T + 2_000 - TRANSIT_MS]);
    expect(clock.now()).toBe(T + 1_000);
  });
});
