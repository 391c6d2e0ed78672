import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PaystoryNotification } from '@app/paystory';
import { In, IsNull, LessThanOrEqual, Repository } from 'typeorm';
import { backoffDelay } from '../common/scheduling/backoff';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { MerchantDirectory } from '../gateway/merchant-directory';
import { PaymentQueryService, type PaymentGlance } from '../payment/payment-query.service';
import { PaymentReconcilerService } from '../payment/resolution/payment-reconciler.service';
import { GatewayNotificationEntity, NotificationStatus } from './entities/gateway-notification.entity';
import type { StoredNotification } from './notification-intake.service';
import { CONFIRMS_KNOWN_STATE, confirmsApproval, kindOf } from './notification-kind';
import { NotificationWriter } from './notification-writer';

/**
 * Applies a stored, verified notification. Its hash covers only mid, ediDate and amount (NOTES 4),
 * so it is a hint: unless it merely confirms what the service already knows, the order is
 * reconciled against the transaction query, and the notification counts as applied only when the
 * gateway's own record shows its tid.
 */
@Injectable()
export class NotificationApplierService {
  private readonly logger = new Logger(NotificationApplierService.name);
  /** Applications in progress in this instance, by notification id. */
  private readonly applying = new Map<string, Promise<NotificationStatus>>();

  constructor(
    @InjectRepository(GatewayNotificationEntity, PAYMENTS_DATA_SOURCE)
    private readonly notifications: Repository<GatewayNotificationEntity>,
    private readonly payments: PaymentQueryService,
    private readonly reconciler: PaymentReconcilerService,
    private readonly merchants: MerchantDirectory,
    private readonly writer: NotificationWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Applies one stored notification. A call for one already being applied here (the retrier's sweep
   * meeting the controller's own background apply) joins it rather than querying the gateway twice.
   */
  apply(notificationId: string): Promise<NotificationStatus> {
    return this.once(notificationId, async () => {
      const row = await this.notifications.findOneBy({ id: notificationId });
      if (!row || (row.status !== 'RECEIVED' && row.status !== 'AWAITING_CONFIRMATION') || !row.parsed)
        return row?.status ?? 'IGNORED';
      return this.applyRow(row, JSON.parse(row.parsed) as PaystoryNotification, undefined);
    });
  }

  /**
   * Applies a notification the intake has just stored, from the row it holds rather than read
   * again; the payment the intake found it by, if any, may already confirm it.
   */
  applyStored({ row, notification, payment }: StoredNotification): Promise<NotificationStatus> {
    return this.once(row.id, () => this.applyRow(row, notification, payment));
  }

  private once(notificationId: string, work: () => Promise<NotificationStatus>): Promise<NotificationStatus> {
    const running = this.applying.get(notificationId);
    if (running) return running;
    const applying = work().finally(() => this.applying.delete(notificationId));
    this.applying.set(notificationId, applying);
    return applying;
  }

  /** `known`: a payment read since the row was stored (a hint, never a reason to skip the gateway). */
  private async applyRow(
    row: GatewayNotificationEntity,
    n: PaystoryNotification,
    known: PaymentGlance | null | undefined,
  ): Promise<NotificationStatus> {
    const kind = kindOf(n);
    if (kind === 'other')
      return this.finish(row, 'IGNORED', `Result ${n.resultCode} changes nothing a billing service keeps`);
    if (await this.confirmsKnownState(n, kind, known)) return this.finish(row, 'APPLIED', CONFIRMS_KNOWN_STATE);

    const merchant = this.merchants.byMid(n.mid);
    const orderNo = n.orderNo ?? (await this.payments.findByTid(n.originalTid ?? n.tid))?.orderId;
    if (!merchant || !orderNo) return this.finish(row, 'IGNORED', 'No order number to confirm the notification with');
    let reconciled = await this.reconciler.reconcileOrder(orderNo, merchant);
    if (reconciled?.paymentId && reconciled.deferredTids.has(n.tid)) {
      // One of our own cancels of this amount still waits for its answer, which names its tid: let
      // that answer (or its loss, which makes the cancel UNKNOWN) come first, then look again.
      await this.untilOwnCancelAnswered(reconciled.paymentId, n.tid, n.amount);
      reconciled = await this.reconciler.reconcileOrder(orderNo, merchant);
    }
    if (reconciled?.gatewayTids.has(n.tid) && !reconciled.deferredTids.has(n.tid))
      return this.finish(row, 'APPLIED', null);
    return this.awaitConfirmation(
      row,
      reconciled ? 'The transaction query does not show this tid yet' : 'The transaction query failed',
    );
  }

  /** Stored notifications not yet applied (their instance died, or the gateway could not confirm yet). */
  async applyPending(now = new Date()): Promise<number> {
    const due = await this.notifications.find({
      where: [
        { status: 'RECEIVED', nextAttemptAt: IsNull() },
        { status: In(['RECEIVED', 'AWAITING_CONFIRMATION']), nextAttemptAt: LessThanOrEqual(now) },
      ],
      order: { receivedAt: 'ASC' },
      take: 50,
    });
    let applied = 0;
    for (const row of due) {
      if ((await this.apply(row.id)) === 'APPLIED') applied++;
    }
    return applied;
  }

  /** Waits (at most the gateway timeout) while the payment has a cancel of this amount in flight and none carries the tid. */
  private async untilOwnCancelAnswered(paymentId: string, tid: string, amount: number): Promise<void> {
    const deadline = Date.now() + this.config.paystory.timeoutMs + 1_000;
    while (Date.now() < deadline) {
      if (await this.payments.hasCancel(tid)) return;
      if (!(await this.payments.hasCancelInFlight(paymentId, amount))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async confirmsKnownState(
    n: PaystoryNotification,
    kind: 'approval' | 'cancel',
    known: PaymentGlance | null | undefined,
  ): Promise<boolean> {
    if (kind === 'cancel') return this.payments.hasCancel(n.tid, { succeeded: true });
    // A hint that does not confirm may be out of date, so the payment is read again.
    return confirmsApproval(n, known) || confirmsApproval(n, await this.payments.findByTid(n.tid));
  }

  /**
   * Not confirmed yet: asked again with the resolver's backoff (doubling from JANITOR_BACKOFF_MS with
   * jitter, at most an hour), since the gateway will not resend an acknowledged notification; after
   * JANITOR_MAX_ATTEMPTS it is IGNORED with the reason, for a person to see.
   */
  private async awaitConfirmation(row: GatewayNotificationEntity, reason: string): Promise<NotificationStatus> {
    const attempts = row.applyAttempts + 1;
    if (attempts >= this.config.janitor.maxAttempts)
      return this.finish(row, 'IGNORED', `Never confirmed by the transaction query: ${reason}`, attempts);
    const backoff = backoffDelay(attempts, { baseMs: this.config.janitor.baseBackoffMs });
    return this.finish(row, 'AWAITING_CONFIRMATION', reason, attempts, new Date(Date.now() + backoff));
  }

  private async finish(
    row: GatewayNotificationEntity,
    status: NotificationStatus,
    reason: string | null,
    attempts = row.applyAttempts + 1,
    nextAttemptAt: Date | null = null,
  ): Promise<NotificationStatus> {
    const appliedAt = status === 'APPLIED' ? new Date() : null;
    await this.writer.settle({ id: row.id, status, reason, applyAttempts: attempts, nextAttemptAt, appliedAt });
    if (status !== 'APPLIED') this.logger.log(`Notification ${row.id}: ${status} (${reason})`);
    return status;
  }
}
