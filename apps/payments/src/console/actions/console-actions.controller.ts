import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { CancelService } from '../../payment/cancel/cancel.service';
import { PaymentQueryService } from '../../payment/payment-query.service';
import type { PaymentView } from '../../payment/payment.view';
import { CancelResolverService } from '../../payment/resolution/cancel-resolver.service';
import { PaymentResolverService } from '../../payment/resolution/payment-resolver.service';
import { ConsoleErrorFilter } from '../console-error.filter';
import type { ConsoleRequest } from '../session/console-request';
import { ConsoleSessionGuard } from '../session/console-session.guard';
import { randomToken } from '../session/console-session.service';
import { ConsoleResponder } from '../views/console-responder';
import { checkRefundForm, refundFormOf } from './refund-form';

/** The idempotency scope of console refunds: never an API key's (those are SHA-256 hex). */
const CONSOLE_SCOPE = 'console';

/**
 * The console's two actions, each a confirmation page (GET) and one POST behind the session's CSRF
 * token. They go through the services of `POST /v1/payments/{id}/cancel` and `…/sync`: one path to
 * money state. A refund is bound to its form's nonce as an API cancel is to its Idempotency-Key,
 * so the same form sent twice (a double click, a reload) refunds once.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/payments/:id')
export class ConsoleActionsController {
  constructor(
    private readonly payments: PaymentQueryService,
    private readonly cancels: CancelService,
    private readonly resolver: PaymentResolverService,
    private readonly cancelResolver: CancelResolverService,
    private readonly responder: ConsoleResponder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('refund')
  async confirmRefund(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const payment = await this.payment(id);
    const t = this.responder.labels(request, response);
    if (payment.cancellableAmount <= 0) throw new AppError(ErrorCode.PaymentNotCancellable, t.refund.notCancellable);
    this.showRefund(request, response, payment, 200, {
      amount: String(payment.cancellableAmount),
      reason: t.refund.defaultReason,
      nonce: randomToken(),
    });
  }

  @Post('refund')
  async refund(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const tenantId = await this.tenantOf(id);
    const payment = await this.cancels.view(id, tenantId);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const checked = checkRefundForm(body, this.config.paystory.charset);
    if (!checked.ok) {
      // Shown again with what was typed: nothing was reserved or sent.
      const form = refundFormOf(body);
      return this.showRefund(
        request,
        response,
        payment,
        400,
        { ...form, nonce: form.nonce || randomToken() },
        checked.errors,
      );
    }
    const result = await this.cancels.cancel(id, tenantId, checked.dto, {
      scope: CONSOLE_SCOPE,
      key: `console:${checked.nonce}`,
    });
    response.redirect(
      303,
      `/console/payments/${encodeURIComponent(id)}?done=${result.httpStatus === 200 ? 'refunded' : 'refund-pending'}`,
    );
  }

  @Get('resync')
  async confirmResync(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const payment = await this.payment(id);
    this.responder.page(
      request,
      response,
      'resync',
      { section: 'attention', title: (t) => t.resync.title },
      { payment },
    );
  }

  /** What `POST /v1/payments/{id}/sync` does: the charge, then its cancels, brought in line with the gateway. */
  @Post('resync')
  async resync(@Res() response: Response, @Param('id') id: string): Promise<void> {
    await this.resolver.sync(id, await this.tenantOf(id));
    await this.cancelResolver.resolveForPayment(id);
    response.redirect(303, `/console/payments/${encodeURIComponent(id)}?done=resynced`);
  }

  private async payment(id: string): Promise<PaymentView> {
    return this.cancels.view(id, await this.tenantOf(id));
  }

  /** Operators act on any tenant's payment: the services are given the payment's own tenant. */
  private async tenantOf(id: string): Promise<string> {
    const payment = await this.payments.findById(id);
    if (!payment) throw AppError.notFound('payment', id);
    return payment.tenantId;
  }

  private showRefund(
    request: ConsoleRequest,
    response: Response,
    payment: PaymentView,
    status: number,
    form: { amount: string; reason: string; nonce: string },
    errors: { field: string; message: string }[] = [],
  ): void {
    this.responder.page(
      request,
      response,
      'refund',
      { section: 'attention', title: (t) => t.refund.title, status },
      { payment, errors, ...form },
    );
  }
}
