import { Inject, Injectable, Logger } from '@nestjs/common';
import { PaystoryClient, type TransactionRecord } from '@app/paystory';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { GatewayRateLimit, type GatewaySlot } from '../gateway/rate-limit/gateway-rate-limit';
import { PaymentQueryService, type PaymentRecord } from '../payment/payment-query.service';
import { PaymentReconcilerService } from '../payment/resolution/payment-reconciler.service';
import { RateLimiter } from '../common/scheduling/rate-limiter';
import { compare, correctionTook, gatewaySide, type Finding, type GatewaySide, type OurSide } from './comparison';
import type { ReconciliationRunEntity } from './entities/reconciliation-run.entity';
import {
  ReconciliationClaimLost,
  ReconciliationRunStore,
  type NewMismatch,
  type PaymentOutcome,
} from './reconciliation-run.store';
import { seoulDayBounds } from './seoul-day';

const PAGE_SIZE = 200;

/**
 * Runs one claimed reconciliation: every payment of the merchant touched that Seoul day, asked of
 * the gateway (§8 by ordNo) within RECONCILIATION_RATE_LIMIT and the merchant's shared gateway rate, compared, corrected where that is
 * safe (through PaymentReconcilerService, the one path to money state) and recorded.
 */
@Injectable()
export class DayReconciler {
  private readonly logger = new Logger(DayReconciler.name);
  /** One per merchant (MID), shared by every run of this instance: the rate is the gateway's, per MID. */
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly payments: PaymentQueryService,
    private readonly gateway: PaystoryClient,
    private readonly reconciler: PaymentReconcilerService,
    private readonly store: ReconciliationRunStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gatewayRate: GatewayRateLimit,
  ) {}

  /** How long a claim lasts without progress: one payment may take a query and a cancel, each up to the gateway timeout. */
  get leaseMs(): number {
    return 4 * this.config.paystory.timeoutMs + 60_000;
  }

  /** Runs `run` to its end; stopping (shutdown) leaves it FAILED, to be run again. */
  async run(run: ReconciliationRunEntity, stop: AbortSignal): Promise<void> {
    const { from, to } = seoulDayBounds(run.seoulDate);
    try {
      for (let after = ''; ;) {
        const page = await this.payments.touchedBetween(run.merchant, from, to, after, PAGE_SIZE);
        for (const payment of page) {
          if (stop.aborted) {
            await this.store.fail(run, 'Interrupted by a shutdown: run the day again');
            return;
          }
          await this.reconcilePayment(run, payment);
        }
        if (page.length < PAGE_SIZE) break;
        after = page[page.length - 1].id;
      }
      await this.store.complete(run);
      this.logger.log(`Reconciled ${run.seoulDate} for merchant ${run.merchant} (attempt ${run.attempt})`);
    } catch (error) {
      if (error instanceof ReconciliationClaimLost) {
        this.logger.warn(error.message);
        return;
      }
      const { name, message } = error as Error;
      this.logger.error(`Reconciliation of ${run.seoulDate} for ${run.merchant} failed: ${name}: ${message}`);
      await this.store.fail(run, `${name}: ${message}`);
    }
  }

  private async reconcilePayment(run: ReconciliationRunEntity, payment: PaymentRecord): Promise<void> {
    const slot = await this.slotFor(run.merchant);
    const answer = await this.gatewayRate
      .callUnder(slot, (sendBy) => this.gateway.queryByOrderNo(payment.orderId, { merchant: run.merchant, sendBy }))
      .catch(() => undefined);
    if (!answer?.ok) return this.store.recordPayment(run, 'unchecked', [], this.leaseMs);
    const records = answer.data.transactions;
    const gateway = gatewaySide(records);
    const before = ourSide(payment);
    const findings = compare(before, gateway, await this.recordedCancels(gateway));
    if (findings.length === 0) return this.store.recordPayment(run, 'matched', [], this.leaseMs);

    const took = await this.correct(run, payment, records, gateway, findings);
    const mismatches: NewMismatch[] = findings.map((finding, i) => ({
      tenantId: payment.tenantId,
      paymentId: payment.id,
      orderId: payment.orderId,
      kind: finding.kind,
      resolution: took[i] ? 'corrected' : 'attention',
      detail: (finding.action === 'correct' && !took[i]
        ? `${finding.detail}; the correction did not take`
        : finding.detail
      ).slice(0, 300),
      oursStatus: before.status,
      oursAmount: before.amount,
      oursCancelledAmount: before.cancelledAmount,
      gatewayStatus: gateway.status,
      gatewayAmount: gateway.amount,
      gatewayCancelledAmount: gateway.cancelledAmount,
    }));
    const left = mismatches.filter((m) => m.resolution === 'attention');
    const outcome: PaymentOutcome = left.length > 0 ? 'attention' : 'corrected';
    const attention =
      left.length > 0
        ? {
            paymentId: payment.id,
            reason: `Reconciliation of ${run.seoulDate}: ${left.map((m) => m.detail).join('; ')}`,
          }
        : undefined;
    await this.store.recordPayment(run, outcome, mismatches, this.leaseMs, attention);
  }

  /** Brings in line what is safe to; answers, per finding, whether it is in line now. */
  private async correct(
    run: ReconciliationRunEntity,
    payment: PaymentRecord,
    records: TransactionRecord[],
    gateway: GatewaySide,
    findings: Finding[],
  ): Promise<boolean[]> {
    if (!findings.some((f) => f.action === 'correct')) return findings.map(() => false);
    // A correction may itself call the gateway (the late-approval cancel): paced here, its cancel takes its own gateway slot.
    await this.limiterFor(run.merchant).acquire();
    try {
      await this.reconciler.reconcileRecords(payment.orderId, records, { name: run.merchant, mid: run.mid });
    } catch (error) {
      this.logger.warn(`Correcting payment ${payment.id} failed: ${(error as Error).name}; it is left for a person`);
    }
    const after = (await this.payments.findById(payment.id)) ?? payment;
    const recordedAfter = await this.recordedCancels(gateway);
    return findings.map((f) => f.action === 'correct' && correctionTook(f, ourSide(after), recordedAfter));
  }

  /** Which of the gateway's cancels of the order this service has recorded as done. */
  private async recordedCancels(gateway: GatewaySide): Promise<Set<string>> {
    const recorded = new Set<string>();
    for (const { tid } of gateway.cancels)
      if (await this.payments.hasCancel(tid, { succeeded: true })) recorded.add(tid);
    return recorded;
  }

  /** This instance's reconciliation pace (RECONCILIATION_RATE_LIMIT), then a slot of the merchant's rate, shared by every instance. */
  private async slotFor(merchant: string): Promise<GatewaySlot> {
    await this.limiterFor(merchant).acquire();
    return this.gatewayRate.acquire(merchant);
  }

  private limiterFor(merchant: string): RateLimiter {
    let limiter = this.limiters.get(merchant);
    if (!limiter) {
      limiter = new RateLimiter(this.config.reconciliation.rateLimitPerSecond);
      this.limiters.set(merchant, limiter);
    }
    return limiter;
  }
}

function ourSide(payment: PaymentRecord): OurSide {
  return { status: payment.status, amount: payment.amount, cancelledAmount: payment.cancelledAmount };
}
