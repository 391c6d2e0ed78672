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
 * At shutdown `stop()` starts no pass any more and tells the running one, through its signal, to
 * take on nothing new.
 */
export abstract class IntervalJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  protected constructor(private readonly registry: SchedulerRegistry) {}

  protected abstract schedule(): IntervalJobSchedule;

  /**
   * One pass; answers a line worth logging when the pass did something. `stop` is aborted when the
   * instance shuts down: a long pass checks it before each new piece of work and leaves the rest.
   */
  protected abstract work(stop: AbortSignal): Promise<string | undefined>;

  get name(): string {
    return this.schedule().name;
  }

  /** Whether a pass is under way now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  onApplicationBootstrap(): void {
    const { name, enabled, intervalMs, runAtStart } = this.schedule();
    if (!enabled) return;
    this.registry.addInterval(
      name,
      setInterval(() => void this.runNow(), intervalMs),
    );
    if (runAtStart) void this.runNow();
  }

  /** Starts no pass any more and waits for the running one, which takes on no new work. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.registry.doesExist('interval', this.name)) this.registry.deleteInterval(this.name);
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** A pass now, or the one already under way; nothing once stopped. */
  runNow(): Promise<void> {
    if (this.stopping.signal.aborted) return this.running ?? Promise.resolve();
    this.running ??= this.work(this.stopping.signal)
      .then((done) => void (done && this.logger.log(done)))
      .catch((error: Error) => this.logger.error(`${this.name} pass failed: ${error.name}: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
