import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/** When, and how often, a background job runs in this instance. */
export interface IntervalJobSchedule {
  /** The interval's name in Nest's SchedulerRegistry. */
  name: string;
  enabled: boolean;
  intervalMs: number;
  /** Also one pass at start: a restarted instance settles at once what its predecessor left. */
  runAtStart?: boolean;
}

/**
 * The thin scheduled part of a background job (janitor, notification retrier, subscription
 * scheduler, outbox relay): every `intervalMs` one pass of `work()`, never two at once in an
 * instance; a failed pass is logged and the next one tries again. Across instances the work's own
 * claims in the database keep them apart. Tests call `runNow()` instead of waiting for the timer.
 */
export abstract class IntervalJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private running: Promise<void> | undefined;

  protected constructor(private readonly registry: SchedulerRegistry) {}

  protected abstract schedule(): IntervalJobSchedule;

  /** One pass; answers a line worth logging when the pass did something. */
  protected abstract work(): Promise<string | undefined>;

  onApplicationBootstrap(): void {
    const { name, enabled, intervalMs, runAtStart } = this.schedule();
    if (!enabled) return;
    this.registry.addInterval(
      name,
      setInterval(() => void this.runNow(), intervalMs),
    );
    if (runAtStart) void this.runNow();
  }

  async onApplicationShutdown(): Promise<void> {
    const { name } = this.schedule();
    if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    await this.running;
  }

  /** A pass now, or the one already under way. */
  runNow(): Promise<void> {
    this.running ??= this.work()
      .then((done) => void (done && this.logger.log(done)))
      .catch((error: Error) =>
        this.logger.error(`${this.schedule().name} pass failed: ${error.name}: ${error.message}`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
