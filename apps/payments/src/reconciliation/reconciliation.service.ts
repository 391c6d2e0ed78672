import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig, ConfiguredMerchant } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { DayReconciler } from './day-reconciler.service';
import type { CreateReconciliationDto } from './dto/create-reconciliation.dto';
import type { ReconciliationMismatchEntity } from './entities/reconciliation-mismatch.entity';
import type { ReconciliationRunEntity } from './entities/reconciliation-run.entity';
import { ReconciliationJob } from './reconciliation.job';
import { ReconciliationRunStore } from './reconciliation-run.store';
import { reportView, type ReportView } from './reconciliation.view';

/** How much the console's reports page lists. */
const RECENT_RUNS = 30;
const RECENT_MISMATCHES = 100;

/**
 * `POST /v1/reconciliations` and the day's report. Runs are per merchant and cover every tenant's
 * payments; a tenant sees the runs of every merchant but other tenants' own, and only the
 * mismatches of its own payments.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly store: ReconciliationRunStore,
    private readonly runner: DayReconciler,
    private readonly job: ReconciliationJob,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Claims the day for each merchant asked (in configuration order) and queues the runs; a day
   * reconciled before is run again, as its next attempt. 409 when the first merchant's day is
   * being reconciled now (here or by another instance): nothing is started twice.
   */
  async start(dto: CreateReconciliationDto, tenantId: string): Promise<ReportView> {
    const started: ReconciliationRunEntity[] = [];
    for (const { name, mid } of this.merchants(tenantId, dto.merchant)) {
      const run = await this.store.claim(
        { seoulDate: dto.date, merchant: name, mid },
        'api',
        this.runner.leaseMs,
        true,
      );
      // Stop at the first day under way: a concurrent request holds the rest, claimed in the same order.
      if (!run) break;
      started.push(run);
    }
    if (started.length === 0)
      throw new AppError(
        ErrorCode.InvalidState,
        `The reconciliation of ${dto.date} is running now; GET /v1/reconciliations/${dto.date} shows its progress`,
      );
    for (const run of started) this.job.enqueue(run);
    return this.report(dto.date, tenantId);
  }

  async report(date: string, tenantId: string): Promise<ReportView> {
    const { runs, mismatches } = await this.store.ofDay(date, tenantId);
    const hidden = new Set(this.othersOwn(tenantId).map((m) => m.name));
    const shown = runs.filter((run) => !hidden.has(run.merchant));
    if (shown.length === 0) throw new AppError(ErrorCode.NotFound, `No reconciliation of ${date} has been run`);
    return reportView(date, shown, mismatches);
  }

  /** The latest runs and their mismatches, each mismatch with its run's Seoul date: the console's reports page. */
  async recent(): Promise<{
    runs: ReconciliationRunEntity[];
    mismatches: (ReconciliationMismatchEntity & { seoulDate: string })[];
  }> {
    const { runs, mismatches } = await this.store.recent(RECENT_RUNS, RECENT_MISMATCHES);
    const dateOf = new Map(runs.map((r) => [r.id, r.seoulDate]));
    return { runs, mismatches: mismatches.map((m) => ({ ...m, seoulDate: dateOf.get(m.runId) ?? '' })) };
  }

  /** The merchants a tenant may reconcile, by name or all: every one but other tenants' own. */
  private merchants(tenantId: string, name: string | undefined): readonly { name: string; mid: string }[] {
    const hidden = this.othersOwn(tenantId);
    const merchants = this.config.paystory.merchants.filter((m) => !hidden.includes(m));
    if (name === undefined) return merchants;
    const chosen = merchants.filter((m) => m.name === name);
    if (chosen.length === 0)
      throw AppError.validation([
        { field: 'merchant', message: `merchant must be one of ${merchants.map((m) => m.name).join(', ')}` },
      ]);
    return chosen;
  }

  /** The merchants of the merchants file that act for another tenant alone. */
  private othersOwn(tenantId: string): readonly ConfiguredMerchant[] {
    return this.config.paystory.merchants.filter((m) => m.tenant !== undefined && m.tenant !== tenantId);
  }
}
