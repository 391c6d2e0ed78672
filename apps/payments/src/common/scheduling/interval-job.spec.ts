import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob, type IntervalJobSchedule } from './interval-job';

/** A job whose passes the test finishes by hand. */
class HeldJob extends IntervalJob {
  passes = 0;
  finish: (() => void)[] = [];
  failNext = false;
  signals: AbortSignal[] = [];

  constructor(
    registry: SchedulerRegistry,
    private readonly enabled = true,
  ) {
    super(registry);
  }

  protected schedule(): IntervalJobSchedule {
    return { name: 'held-job', enabled: this.enabled, intervalMs: 100 };
  }

  protected work(stop: AbortSignal): Promise<string | undefined> {
    this.passes++;
    this.signals.push(stop);
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('database down'));
    }
    return new Promise((resolve) => this.finish.push(() => resolve(undefined)));
  }
}

describe(IntervalJob.name, () => {
  let registry: SchedulerRegistry;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    registry = new SchedulerRegistry();
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs a pass every interval, never two at once: a slow pass is joined, not overlapped', async () => {
    const job = new HeldJob(registry);
    job.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(350);
    expect(job.passes).toBe(1);

    job.finish.shift()?.();
    await jest.advanceTimersByTimeAsync(100);
    expect(job.passes).toBe(2);
    job.finish.shift()?.();
    await job.onApplicationShutdown();
  });

  it('logs a failed pass and runs the next one', async () => {
    const job = new HeldJob(registry);
    job.failNext = true;
    job.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(100);
    await jest.advanceTimersByTimeAsync(100);

    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringContaining('held-job pass failed: Error: database down'),
    );
    expect(job.passes).toBe(2);
    job.finish.shift()?.();
    await job.onApplicationShutdown();
  });

  it('registers nothing when disabled, and stops its timer at shutdown', async () => {
    const disabled = new HeldJob(registry, false);
    disabled.onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual([]);

    const job = new HeldJob(registry);
    job.onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual(['held-job']);
    await job.onApplicationShutdown();
    expect(registry.getIntervals()).toEqual([]);
  });

  it('at stop starts no pass any more, tells the running one to take on nothing new and waits for it', async () => {
    const job = new HeldJob(registry);
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(100);
    expect(job.busy).toBe(true);

    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(job.signals[0].aborted).toBe(true);
    expect(stopped).toBe(false);
    expect(registry.getIntervals()).toEqual([]);

    job.finish.shift()?.();
    await stopping;
    await job.runNow();
    await jest.advanceTimersByTimeAsync(500);
    expect(job.passes).toBe(1);
    expect(job.busy).toBe(false);
  });
});
