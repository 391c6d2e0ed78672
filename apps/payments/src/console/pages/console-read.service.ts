import { Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { PaystoryRedactor } from '@app/paystory';
import { IsNull, Repository } from 'typeorm';
import { OutboxEventEntity } from '../../events/entities/outbox-event.entity';
import {
  GatewayNotificationEntity,
  type NotificationStatus,
} from '../../notification/entities/gateway-notification.entity';
import type { PaymentView } from '../../payment/payment.view';
import { SubscriptionEntity } from '../../subscription/entities/subscription.entity';
import type { SubscriptionStatus } from '../../subscription/subscription-status';
import { subscriptionView, type SubscriptionView } from '../../subscription/subscription.view';

const PAGE = 100;

export interface NotificationRow {
  id: string;
  status: NotificationStatus;
  reason: string | null;
  tid: string | null;
  orderNo: string | null;
  resultCode: string | null;
  deliveries: number;
  receivedAt: Date;
  /** As stored (credentials already redacted at intake), scrubbed once more before it is shown. */
  fields: Record<string, unknown>;
}

/**
 * The console's reads that no module offers yet: lists across customers for a person to scan. Each
 * is a bounded, read-only query (never a write); what the gateway sent is redacted again before it
 * is shown, whatever the intake already did.
 */
@Injectable()
export class ConsoleReadService {
  private readonly redactor = new PaystoryRedactor([]);

  constructor(
    @InjectRepository(GatewayNotificationEntity, PAYMENTS_DATA_SOURCE)
    private readonly notifications: Repository<GatewayNotificationEntity>,
    @InjectRepository(OutboxEventEntity, PAYMENTS_DATA_SOURCE) private readonly outbox: Repository<OutboxEventEntity>,
    @InjectRepository(SubscriptionEntity, PAYMENTS_DATA_SOURCE)
    private readonly subscriptions: Repository<SubscriptionEntity>,
  ) {}

  async latestNotifications(status?: NotificationStatus): Promise<NotificationRow[]> {
    const rows = await this.notifications.find({
      where: status ? { status } : {},
      order: { lastReceivedAt: 'DESC' },
      take: PAGE,
    });
    return rows.map((row) => this.notificationRow(row));
  }

  /** The notifications about one payment: by its order number or its tid. */
  async notificationsOf(payment: Pick<PaymentView, 'orderId' | 'tid'>): Promise<NotificationRow[]> {
    const rows = await this.notifications.find({
      where: [{ orderNo: payment.orderId }, ...(payment.tid ? [{ tid: payment.tid }] : [])],
      order: { receivedAt: 'ASC' },
      take: PAGE,
    });
    return rows.map((row) => this.notificationRow(row));
  }

  /** What the gateway answered about a payment as the service keeps it: approval, card (masked), refusal. */
  gatewayAnswer(payment: PaymentView): Record<string, unknown> {
    return this.redactor.fields({
      tid: payment.tid,
      approvalNo: payment.approvalNo,
      approvedAt: payment.approvedAt,
      card: payment.card,
      failure: payment.failure,
      cancels: (payment.cancellations ?? []).map((c) => ({ tid: c.tid, status: c.status, failure: c.failure })),
    });
  }

  async outboxBacklog(): Promise<{
    unpublished: number;
    oldestOccurredAt: Date | null;
    byType: { type: string; count: number }[];
    oldest: Pick<OutboxEventEntity, 'id' | 'type' | 'occurredAt'>[];
  }> {
    const unpublished = { publishedAt: IsNull() };
    const oldest = await this.outbox.find({
      select: { id: true, type: true, occurredAt: true, seq: true },
      where: unpublished,
      order: { seq: 'ASC' },
      take: 20,
    });
    const byType = await this.outbox
      .createQueryBuilder('e')
      .select('e.type', 'type')
      .addSelect('COUNT(*)', 'count')
      .where('e.published_at IS NULL')
      .groupBy('e.type')
      .orderBy('e.type')
      .getRawMany<{ type: string; count: string | number }>();
    const counts = byType.map((row) => ({ type: row.type, count: Number(row.count) }));
    return {
      unpublished: counts.reduce((sum, row) => sum + row.count, 0),
      oldestOccurredAt: oldest[0]?.occurredAt ?? null,
      byType: counts,
      oldest,
    };
  }

  /** Subscriptions of every tenant, most recently changed first, by status and customer. */
  async subscriptionsBy(filter: {
    status?: SubscriptionStatus;
    customerId?: string;
  }): Promise<(SubscriptionView & { tenantId: string })[]> {
    const rows = await this.subscriptions.find({
      where: {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.customerId ? { customerId: filter.customerId } : {}),
      },
      order: { updatedAt: 'DESC' },
      take: PAGE,
    });
    return rows.map((s) => ({ ...subscriptionView(s), tenantId: s.tenantId }));
  }

  private notificationRow(row: GatewayNotificationEntity): NotificationRow {
    return {
      id: row.id,
      status: row.status,
      reason: row.reason,
      tid: row.tid,
      orderNo: row.orderNo,
      resultCode: row.resultCode,
      deliveries: row.deliveries,
      receivedAt: row.receivedAt,
      fields: this.redactor.fields(parseFields(row.fields)),
    };
  }
}

function parseFields(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { raw: text };
  }
}
