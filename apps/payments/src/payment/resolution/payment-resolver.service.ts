import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { describeResult, isCancelSuccess, isChargeApproval, PaystoryClient, TransactionRecord } from '@app/paystory';
import { NOT_AT_GATEWAY } from '../failure-codes';
import { IsNull, LessThan, LessThanOrEqual, Raw, Repository } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { backoffDelay } from '../../common/scheduling/backoff';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { UnitOfWork } from '../../database/unit-of-work';
import { GatewayRateLimit } from '../../gateway/rate-limit/gateway-rate-limit';
import { PaymentEntity } from '../entities/payment.entity';
import { approvalFromRecord } from '../approval-from-record';
import { PaymentStateService } from '../state/payment-state.service';
import { PaymentService } from '../payment.service';
import { paymentView, PaymentView } from '../payment.view';
import { InstanceLiveness } from '../../instances/instance-liveness';

/**
 * Learns the truth of charges whose answer never came (UNKNOWN) or whose process died before it
 * could record it (stale PENDING), with the transaction query by ordNo (§8). Never charges another order.
 * - the gateway holds the approval → APPROVED with its tid and approval number;
 * - the gateway lists the attempt with a refusal → DECLINED with that code;
 * - the gateway knows no such order, asked well after the request was sent: not final, since the
 *   gateway may process it late → the same order is sent again (the gateway approves an order
 *   once); a payment that cannot be sent again (a phone issuance's) → DECLINED `NOT_AT_GATEWAY`,
 *   and should it turn up approved later it is cancelled automatically (PaymentStateService);
 * - the query fails → asked again later with backoff; after `maxAttempts`, flagged for a person.
 */
@Injectable()
export class PaymentResolverService {
  private readonly logger = new Logger(PaymentResolverService.name);

  constructor(
    @InjectRepository(PaymentEntity, PAYMENTS_DATA_SOURCE) private readonly payments: Repository<PaymentEntity>,
    private readonly gateway: PaystoryClient,
    private readonly state: PaymentStateService,
    private readonly charges: PaymentService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gatewayRate: GatewayRateLimit,
    private readonly liveness: InstanceLiveness,
  ) {}

  /** `POST /v1/payments/{id}/sync`: ask now, whatever the schedule. The tenant's payment only (operators pass its own). */
  async sync(paymentId: string, tenantId: string): Promise<PaymentView> {
    const payment = await this.payments.findOneBy({ id: paymentId, tenantId });
    if (!payment) throw AppError.notFound('payment', paymentId);
    return paymentView(await this.resolve(payment));
  }

  /**
   * One sweep of the janitor: every due unresolved charge, in small batches. Returns how many were
   * looked at. `stop` (shutdown) ends the sweep before the next charge: one not yet claimed is left as it was.
   */
  async resolveDue(now = new Date(), stop?: AbortSignal): Promise<number> {
    const staleBefore = new Date(now.getTime() - this.config.janitor.staleAfterMs);
    // An API charge PENDING with its sender dead will never be recorded by it: asked about now, not once stale.
    const senderDead = Raw((column) => `${column} IS NOT NULL AND NOT ${this.liveness.aliveSql(column)}`);
    const due = await this.payments.find({
      where: [
        { status: 'UNKNOWN', needsAttention: false, nextResolveAt: LessThanOrEqual(now) },
        // A decline that may still be followed by a late approval (PaymentFailure.checkAgainAt).
        { status: 'DECLINED', nextResolveAt: LessThanOrEqual(now) },
        { status: 'UNKNOWN', needsAttention: false, nextResolveAt: IsNull() },
        { status: 'PENDING', needsAttention: false, createdAt: LessThan(staleBefore), nextResolveAt: IsNull() },
        {
          status: 'PENDING',
          needsAttention: false,
          createdAt: LessThan(staleBefore),
          nextResolveAt: LessThanOrEqual(now),
        },
        { status: 'PENDING', needsAttention: false, senderInstanceId: senderDead, nextResolveAt: IsNull() },
        { status: 'PENDING', needsAttention: false, senderInstanceId: senderDead, nextResolveAt: LessThanOrEqual(now) },
      ],
      order: { createdAt: 'ASC' },
      take: 50,
    });
    let looked = 0;
    for (const payment of due) {
      if (stop?.aborted) break;
      if (!(await this.claim(payment, now))) continue; // another instance took it
      looked++;
      await this.resolve(payment).catch((error: unknown) =>
        this.logger.error(`Resolving payment ${payment.id} failed: ${(error as Error).name}`),
      );
    }
    return looked;
  }

  /**
   * Asks the gateway now about an unresolved charge whose sender is gone (a killed instance's
   * PENDING charge, found by the instance that took its subscription claim over), instead of
   * leaving it to a sweep, which waits JANITOR_STALE_AFTER_MS for a PENDING one. The same rules as
   * a sweep, so "no such order" is never taken for final sooner, and the same conditional claim:
   * one instance asks at a time, and one asked before waits for its next query as scheduled.
   */
  async resolveAbandoned(paymentId: string, senderDead: boolean, now = new Date()): Promise<PaymentEntity> {
    const payment = await this.payments.findOneByOrFail({ id: paymentId });
    const due = !payment.nextResolveAt || payment.nextResolveAt <= now;
    if (!due || payment.needsAttention || !(await this.claim(payment, now))) return payment;
    return this.resolve(payment, senderDead);
  }

  /** `senderDead`: known to the caller (a subscription claim taken over from a dead owner); else asked when it matters. */
  private async resolve(payment: PaymentEntity, senderDead?: boolean): Promise<PaymentEntity> {
    if (payment.status === 'DECLINED' && payment.nextResolveAt) return this.watchForLateApproval(payment);
    if (payment.status !== 'PENDING' && payment.status !== 'UNKNOWN') return payment;
    let records: TransactionRecord[];
    try {
      const outcome = await this.gatewayRate.send(payment.merchant, (sendBy) =>
        this.gateway.queryByOrderNo(payment.orderId, { merchant: payment.merchant, sendBy }),
      );
      if (!outcome.ok) return this.retryLater(payment, `query refused with ${outcome.code}`);
      records = outcome.data.transactions;
    } catch (error) {
      return this.retryLater(payment, `query failed (${(error as Error).name})`);
    }
    const approval = approvalIn(records);
    if (approval) return this.state.approve(payment.id, approvalFromRecord(approval, payment));
    // The gateway lists the attempt with its own refusal code: that is the answer the charge never got.
    // Another request of the order (one sent again) may still be processed late: the decline is watched.
    const refusal = records.find((r) => r.resultCode && !isCancelSuccess(r.resultCode));
    if (refusal?.resultCode) {
      const info = describeResult(refusal.resultCode, refusal.resultMessage);
      return this.state.decline(payment.id, {
        code: info.code,
        message: info.message,
        category: info.category,
        checkAgainAt: this.nextCheckAt(payment),
      });
    }
    const askedLongAfterSending =
      Date.now() - (payment.sentAt ?? payment.createdAt).getTime() >= this.config.janitor.staleAfterMs;
    if (records.length === 0 && (askedLongAfterSending || (await this.abandonedBySender(payment, senderDead)))) {
      const resent = await this.charges.resendUnresolved(payment);
      if (!resent) {
        return this.state.decline(payment.id, {
          code: NOT_AT_GATEWAY,
          message: 'The gateway has no transaction for this order: the charge never took place',
          category: 'declined',
          checkAgainAt: this.nextCheckAt(payment),
        });
      }
      if (resent.status !== 'PENDING' && resent.status !== 'UNKNOWN') return resent;
      return this.retryLater(resent, 'the gateway had no record of the order; it was sent again');
    }
    return this.retryLater(
      payment,
      records.length === 0 ? 'the gateway does not know the order yet' : 'the gateway shows no approval for the order',
    );
  }

  /**
   * A watched decline (PaymentFailure.checkAgainAt): an approval the gateway shows now is a late
   * one, recorded as such (the state machine cancels it at the gateway). Without one the watch goes
   * on, with the resolver's backoff, until the gateway's worst processing time has passed since the
   * charge was made (JANITOR_CANCEL_RELEASE_AFTER_MS, as for a late cancel); then the decline is final.
   */
  private async watchForLateApproval(payment: PaymentEntity): Promise<PaymentEntity> {
    const query = await this.gatewayRate
      .send(payment.merchant, (sendBy) =>
        this.gateway.queryByOrderNo(payment.orderId, { merchant: payment.merchant, sendBy }),
      )
      .catch(() => undefined);
    const approval = query?.ok ? approvalIn(query.data.transactions) : undefined;
    if (approval) return this.state.approve(payment.id, approvalFromRecord(approval, payment));
    const watchedLongEnough = Date.now() - payment.createdAt.getTime() >= this.config.janitor.cancelReleaseAfterMs;
    await this.state.postpone(payment.id, watchedLongEnough ? null : this.nextCheckAt(payment));
    return this.payments.findOneByOrFail({ id: payment.id });
  }

  private nextCheckAt(payment: PaymentEntity): Date {
    return new Date(Date.now() + this.backoff(payment.resolveAttempts));
  }

  /**
   * A PENDING charge whose sender is dead: it will send nothing more, so the gateway's "no such
   * order" need not wait JANITOR_STALE_AFTER_MS to be answered with the same order again. Safe as
   * that resend always is: the gateway approves an order once, and should a request the sender had
   * already sent be processed late after a declined resend, the watch of the decline cancels it.
   */
  private async abandonedBySender(payment: PaymentEntity, senderDead?: boolean): Promise<boolean> {
    if (payment.status !== 'PENDING') return false;
    if (senderDead !== undefined) return senderDead;
    return payment.senderInstanceId !== null && !(await this.liveness.isAlive(payment.senderInstanceId));
  }

  /** Moves `nextResolveAt` forward with a conditional update, so one instance looks at a charge at a time. */
  private async claim(payment: PaymentEntity, now: Date): Promise<boolean> {
    const attempts = payment.resolveAttempts + 1;
    const result = await this.uow.run((m) =>
      m.update(
        PaymentEntity,
        { id: payment.id, resolveAttempts: payment.resolveAttempts, status: payment.status },
        { resolveAttempts: attempts, nextResolveAt: new Date(now.getTime() + this.backoff(attempts)) },
      ),
    );
    if (result.affected !== 1) return false;
    payment.resolveAttempts = attempts;
    return true;
  }

  private async retryLater(payment: PaymentEntity, why: string): Promise<PaymentEntity> {
    const attempts = payment.resolveAttempts;
    if (attempts >= this.config.janitor.maxAttempts) {
      this.logger.warn(
        `Payment ${payment.id} still unresolved after ${attempts} attempts (${why}): flagged for a person`,
      );
      await this.state.postpone(payment.id, null, `Unresolved after ${attempts} gateway queries: ${why}`);
    } else {
      await this.state.postpone(payment.id, new Date(Date.now() + this.backoff(attempts)));
    }
    return this.payments.findOneByOrFail({ id: payment.id });
  }

  /** Exponential backoff from the configured base, with jitter, at most one hour. */
  private backoff(attempts: number): number {
    return backoffDelay(attempts, { baseMs: this.config.janitor.baseBackoffMs });
  }
}

/** The approval among the gateway's records of an order (a record without a code: one not cancelled). */
function approvalIn(records: TransactionRecord[]): TransactionRecord | undefined {
  return records.find((r) => (r.resultCode ? isChargeApproval(r.resultCode) : !r.cancelled));
}
