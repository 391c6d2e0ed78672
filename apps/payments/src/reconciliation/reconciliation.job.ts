import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob, type IntervalJobSchedule } from '../common/scheduling/interval-job';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { DayReconciler } from './day-reconciler.service';
import type { ReconciliationRunEntity } from './entities/reconciliation-run.entity';
import { ReconciliationRunStore } from './reconciliation-run.store';
import { dueSeoulDate } from './seoul-day';

/** How often the job looks whether the previous Seoul day is due (and left unfinished by a dead instance). */
const CHECK_INTERVAL_MS = 60_000;

/**
 * Runs the reconciliations this instance claimed, one after another: the previous Seoul day once
 * the Seoul clock passes RECONCILIATION_RUN_AT (when RECONCILIATION_ENABLED), and those
 * `POST /v1/reconciliations` queued. The claim in the database keeps instances apart; the job's
 * stop signal (shutdown) ends a run at its next payment, FAILED, to be run again.
 */
@Injectable()
export class ReconciliationJob extends IntervalJob {
  private readonly queue: ReconciliationRunEntity[] = [];
  private closed = false;

  constructor(
    private readonly runner: DayReconciler,
    private readonly store: ReconciliationRunStore,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  protected schedule(): IntervalJobSchedule {
    return {
      name: 'reconciliation',
      enabled: this.config.reconciliation.enabled,
      intervalMs: CHECK_INTERVAL_MS,
      runAtStart: true,
    };
  }

  /** Runs a claimed run as soon as the runs before it are done. */
  enqueue(run: ReconciliationRunEntity): void {
    this.queue.push(run);
    this.drain();
  }

  override async stop(): Promise<void> {
    this.closed = true;
    await super.stop();
    // Claimed but never started: given back at once rather than when their lease runs out.
    for (const run of this.queue.splice(0)) await this.store.fail(run, 'Interrupted by a shutdown: run the day again');
  }

  protected async work(stop: AbortSignal): Promise<string | undefined> {
    if (this.config.reconciliation.enabled)
      // Runs already queued still go ahead when the database refuses the day's claim.
      await this.claimDueDay().catch((error: Error) =>
        this.logger.error(`Claiming the due reconciliation failed: ${error.name}: ${error.message}`),
      );
    const done: string[] = [];
    while (this.queue.length > 0 && !stop.aborted) {
      const run = this.queue.shift() as ReconciliationRunEntity;
      await this.runner.run(run, stop);
      done.push(`${run.seoulDate}/${run.merchant}`);
    }
    return done.length > 0 ? `Reconciliation runs finished: ${done.join(', ')}` : undefined;
  }

  private async claimDueDay(): Promise<void> {
    const seoulDate = dueSeoulDate(new Date(), this.config.reconciliation.runAt);
    if (!seoulDate) return;
    for (const { name, mid } of this.config.paystory.merchants) {
      const run = await this.store.claim({ seoulDate, merchant: name, mid }, 'schedule', this.runner.leaseMs, false);
      if (run) this.queue.push(run);
    }
  }

  /** A pass now; a run queued while the last pass was finishing gets the next one. */
  private drain(): void {
    void this.runNow().then(() => {
      if (this.queue.length > 0 && !this.closed) this.drain();
    });
  }
}
