import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import type { NotificationStatus } from '../../notification/entities/gateway-notification.entity';
import { CancelService } from '../../payment/cancel/cancel.service';
import { PaymentQueryService } from '../../payment/payment-query.service';
import { paymentView, type PaymentView } from '../../payment/payment.view';
import { LIVE_SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../subscription/subscription-status';
import { SubscriptionService } from '../../subscription/subscription.service';
import { ConsoleErrorFilter } from '../console-error.filter';
import type { ConsoleRequest } from '../session/console-request';
import { ConsoleSessionGuard } from '../session/console-session.guard';
import type { ConsoleLabels } from '../views/labels';
import { ConsoleResponder } from '../views/console-responder';
import { ReconciliationService } from '../../reconciliation/reconciliation.service';
import { ConsoleReadService } from './console-read.service';

const NOTIFICATION_STATUSES: readonly NotificationStatus[] = [
  'RECEIVED',
  'REJECTED',
  'APPLIED',
  'AWAITING_CONFIRMATION',
  'IGNORED',
];
const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = [...LIVE_SUBSCRIPTION_STATUSES, 'CANCELLED'];
const MAX_QUERY_LENGTH = 100;

/** What a page says after an action it was sent back to (post, then redirect, then get). */
const NOTICES: Record<string, (t: ConsoleLabels) => string> = {
  refunded: (t) => t.refund.done,
  'refund-pending': (t) => t.refund.pending,
  resynced: (t) => t.resync.done,
};

/**
 * The console's pages: reads only. Every handler is a GET that reads through the services the API
 * uses (or ConsoleReadService for the lists no module offers); nothing here writes.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console')
export class ConsolePagesController {
  constructor(
    private readonly payments: PaymentQueryService,
    private readonly cancels: CancelService,
    private readonly subscriptions: SubscriptionService,
    private readonly reads: ConsoleReadService,
    private readonly reconciliations: ReconciliationService,
    private readonly responder: ConsoleResponder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('attention')
  async attention(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    const staleBefore = new Date(Date.now() - this.config.janitor.staleAfterMs);
    const queue = await this.payments.needingAttention(staleBefore);
    this.responder.page(
      request,
      response,
      'attention',
      { section: 'attention', title: (t) => t.attention.title },
      { ...queue, payments: await this.withTenants(queue.payments) },
    );
  }

  @Get('search')
  async search(@Req() request: ConsoleRequest, @Res() response: Response, @Query('q') q?: unknown): Promise<void> {
    const query = typeof q === 'string' ? q.trim() : '';
    const page = { section: 'search' as const, title: (t: ConsoleLabels) => t.search.title };
    if (query.length > MAX_QUERY_LENGTH) {
      throw AppError.validation([{ field: 'q', message: `q must be at most ${MAX_QUERY_LENGTH} characters` }]);
    }
    const payments = query ? await this.withTenants(await this.find(query)) : [];
    this.responder.page(request, response, 'search', page, { query, searched: query.length > 0, payments });
  }

  @Get('payments/:id')
  async payment(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('done') done?: unknown,
  ): Promise<void> {
    const payment = await this.paymentWithCancels(id);
    this.responder.page(
      request,
      response,
      'payment',
      {
        section: 'search',
        title: (t) => `${t.payment.title} ${payment.orderId}`,
        notice: typeof done === 'string' ? NOTICES[done] : undefined,
      },
      {
        payment,
        gatewayAnswer: this.reads.gatewayAnswer(payment),
        notifications: await this.reads.notificationsOf(payment),
      },
    );
  }

  @Get('subscriptions')
  async subscriptionList(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query('status') status?: unknown,
    @Query('customer') customer?: unknown,
  ): Promise<void> {
    const chosen = SUBSCRIPTION_STATUSES.find((s) => s === status);
    if (status && typeof status === 'string' && status !== '' && !chosen) {
      throw AppError.validation([
        { field: 'status', message: `status must be one of ${SUBSCRIPTION_STATUSES.join(', ')}` },
      ]);
    }
    const customerId = typeof customer === 'string' ? customer.trim().slice(0, MAX_QUERY_LENGTH) : '';
    const subscriptions = await this.reads.subscriptionsBy({
      status: chosen,
      customerId: customerId || undefined,
    });
    this.responder.page(
      request,
      response,
      'subscriptions',
      { section: 'subscriptions', title: (t) => t.subscriptions.title },
      { subscriptions, statuses: SUBSCRIPTION_STATUSES, status: chosen ?? '', customer: customerId },
    );
  }

  @Get('subscriptions/:id')
  async subscription(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const { subscription, tenantId, charges } = await this.subscriptions.inspect(id);
    this.responder.page(
      request,
      response,
      'subscription',
      { section: 'subscriptions', title: (t) => `${t.subscriptions.title} ${id}` },
      { subscription, tenantId, charges, retryDays: this.config.subscriptions.retryDays },
    );
  }

  @Get('notifications')
  async notifications(@Req() request: ConsoleRequest, @Res() response: Response, @Query('status') status?: unknown) {
    const chosen = NOTIFICATION_STATUSES.find((s) => s === status);
    if (status && typeof status === 'string' && status !== '' && !chosen) {
      throw AppError.validation([
        { field: 'status', message: `status must be one of ${NOTIFICATION_STATUSES.join(', ')}` },
      ]);
    }
    this.responder.page(
      request,
      response,
      'notifications',
      { section: 'notifications', title: (t) => t.notifications.title },
      {
        notifications: await this.reads.latestNotifications(chosen),
        statuses: NOTIFICATION_STATUSES,
        status: chosen ?? '',
      },
    );
  }

  @Get('outbox')
  async outbox(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    this.responder.page(
      request,
      response,
      'outbox',
      { section: 'outbox', title: (t) => t.outbox.title },
      { backlog: await this.reads.outboxBacklog() },
    );
  }

  @Get('reconciliation')
  async reconciliation(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    this.responder.page(
      request,
      response,
      'reconciliation',
      { section: 'reconciliation', title: (t) => t.reconciliation.title },
      await this.reconciliations.recent(),
    );
  }

  /** The payment with its cancels, as the API shows it, and its tenant; 404 when there is none. */
  private async paymentWithCancels(
    id: string,
  ): Promise<PaymentView & { tenantId: string; cancellations: NonNullable<PaymentView['cancellations']> }> {
    const record = await this.payments.findById(id);
    if (!record) throw AppError.notFound('payment', id);
    const view = await this.cancels.view(id);
    return { ...view, tenantId: record.tenantId, cancellations: view.cancellations ?? [] };
  }

  /** Operators see every tenant's payments: each listed with its tenant. */
  private async withTenants(payments: PaymentView[]): Promise<(PaymentView & { tenantId: string })[]> {
    const records = await this.payments.findByIds(payments.map((p) => p.id));
    const tenantOf = new Map(records.map((r) => [r.id, r.tenantId]));
    return payments.map((p) => ({ ...p, tenantId: tenantOf.get(p.id) ?? '' }));
  }

  /** An order id or a tid names one payment; a customer id lists theirs (newest first). */
  private async find(query: string): Promise<PaymentView[]> {
    const [byOrder, byTid, byCustomer] = await Promise.all([
      this.payments.findByOrderId(query),
      this.payments.findByTid(query),
      this.payments.list({ customerId: query, limit: 50 }),
    ]);
    const found = [byOrder, byTid].filter((p) => p !== null).map((p) => paymentView(p));
    return [...found, ...byCustomer.data.filter((p) => !found.some((f) => f.id === p.id))];
  }
}
