import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RateLimiter, SEND_DELAY_ALLOWANCE_MS } from './rate-limiter';

describe(RateLimiter.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  /** Starts `count` acquisitions at once and returns the fake times they were let through, after `ms` of fake time. */
  async function grantTimes(limiter: RateLimiter, count: number, ms: number): Promise<number[]> {
    const granted: number[] = [];
    for (let i = 0; i < count; i++) void limiter.acquire().then(() => granted.push(Date.now() - 1_000_000));
    await jest.advanceTimersByTimeAsync(ms);
    return granted;
  }

  it('spaces calls evenly over a second and the send allowance: never more than perSecond in any second', async () => {
    const granted = await grantTimes(new RateLimiter(4, () => Date.now()), 9, 5_000);

    const gap = (1_000 + SEND_DELAY_ALLOWANCE_MS) / 4;
    expect(granted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => Math.ceil(i * gap)));
    const busiestSecond = Math.max(
      ...granted.map((from) => granted.filter((t) => t >= from && t < from + 1_000).length),
    );
    expect(busiestSecond).toBe(4);
  });

  it('lets the first call through at once and banks no burst while idle', async () => {
    const limiter = new RateLimiter(4, () => Date.now());
    expect(await grantTimes(limiter, 1, 0)).toEqual([0]);

    await jest.advanceTimersByTimeAsync(10_000);
    const start = Date.now() - 1_000_000;
    const later = await grantTimes(limiter, 3, 2_000);

    expect(later.map((t) => t - start)).toEqual([0, 275, 550]);
  });

  it('does not bunch the callers behind a timer that fired late (a busy event loop)', async () => {
    let clock = 0; // the limiter's clock, moved by hand: the fake timers only decide when callbacks run
    const limiter = new RateLimiter(4, () => clock);
    const granted: number[] = [];
    const take = () => void limiter.acquire().then(() => granted.push(clock));
    take();
    take();
    take();
    await jest.advanceTimersByTimeAsync(0);

    clock = 600; // the loop was blocked for 600 ms: both waiting timers are overdue at once
    await jest.advanceTimersByTimeAsync(600);
    const afterStall = [...granted];
    clock = 875;
    await jest.advanceTimersByTimeAsync(300);

    expect(afterStall).toEqual([0, 600]);
    expect(granted).toEqual([0, 600, 875]);
  });
});
