import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import {
  CancelApproved,
  PaystoryClient,
  PaystoryOutcome,
  PaystoryOutcomeUnknownError,
  PaystoryRequestInvalidError,
  PaystoryUnavailableError,
} from '@app/paystory';
import { Repository } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { faultPoint } from '../../common/faults/fault-points';
import { idempotencyRefOf } from '../../common/ids/idempotency-ref';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { gatewayRefused } from '../../gateway/gateway-refusal';
import { GatewayRateLimit, type GatewaySlot } from '../../gateway/rate-limit/gateway-rate-limit';
import { PaymentEntity } from '../entities/payment.entity';
import { GATEWAY_UNREACHABLE, REQUEST_INVALID } from '../failure-codes';
import { paymentView, PaymentView } from '../payment.view';
import { CancellationStateService } from '../state/cancellation-state.service';
import { CancelPaymentDto } from './dto/cancel-payment.dto';
import { CancellationEntity } from '../entities/cancellation.entity';
import { storedParts } from '../vat/payment-parts';
import { toWire } from '../vat/vat-parts';

export interface CancelResult {
  httpStatus: number;
  payment: PaymentView;
}

/** What one call of the gateway's cancel came to, for the callers that decide what follows. */
export type CancelSendOutcome = 'succeeded' | 'unknown' | 'refused';

/**
 * Full and partial refunds (§7) against a tracked balance. The amount is reserved on the payment
 * row (row lock on PostgreSQL, the serialised unit of work on SQLite) before the gateway is
 * called, so concurrent cancels can never take the total over the approved amount.
 *
 * A cancel asked under an Idempotency-Key carries the key's reference (unique), written with the
 * reservation: a retry of that key, whenever it comes, finds this cancel and answers its state;
 * it never reserves or refunds again. The rows are written by CancellationStateService.
 */
@Injectable()
export class CancelService {
  private readonly logger = new Logger(CancelService.name);

  constructor(
    @InjectRepository(CancellationEntity, PAYMENTS_DATA_SOURCE)
    private readonly cancellations: Repository<CancellationEntity>,
    @InjectRepository(PaymentEntity, PAYMENTS_DATA_SOURCE) private readonly payments: Repository<PaymentEntity>,
    private readonly gateway: PaystoryClient,
    private readonly ledger: CancellationStateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gatewayRate: GatewayRateLimit,
  ) {}

  /** A cancel of the tenant's payment (operators pass the payment's own tenant); another tenant's is a 404. */
  async cancel(
    paymentId: string,
    tenantId: string,
    dto: CancelPaymentDto,
    idempotency?: { scope: string; key: string },
  ): Promise<CancelResult> {
    const ref = idempotency ? idempotencyRefOf(idempotency.scope, idempotency.key) : null;
    // A slot of the merchant's gateway rate before anything is reserved, as for a charge (an unknown payment is reserve's 404).
    const merchant = (await this.payments.findOne({ where: { id: paymentId, tenantId }, select: { merchant: true } }))
      ?.merchant;
    const slot = merchant
      ? await this.gatewayRate.acquireWithin(merchant, this.config.paystory.rateLimitWaitMs)
      : undefined;
    try {
      const reserved = await this.ledger.reserve(paymentId, tenantId, dto, ref);
      if (!reserved.send) return await this.answerFor(reserved.cancellation);
      faultPoint('cancel.after-reserve', reserved.payment.orderId);
      const outcome = await this.send(reserved.payment, reserved.cancellation, 'first', slot);
      if (outcome.kind === 'refused') throw outcome.error;
      return await this.result(paymentId, outcome.kind === 'succeeded' ? 200 : 202);
    } finally {
      // No request under it (a cancel that exists, one refused before sending): another request may have it.
      await this.gatewayRate.giveBackUnused(slot);
    }
  }

  /**
   * Sends a cancel that is reserved and recorded (PENDING) and records what the gateway answered.
   * Used by the API, by the automatic cancel of a late approval and by the resolver's re-send of a
   * full cancel the gateway has no record of (`resend`). A cancel that must happen (a late
   * approval's) or that may already have happened (a resend) is never given up on a transport
   * failure: it stays reserved for the resolver.
   */
  async send(
    payment: PaymentEntity,
    cancellation: CancellationEntity,
    attempt: 'first' | 'resend' = 'first',
    slot?: GatewaySlot,
  ): Promise<{ kind: 'succeeded' | 'unknown' } | { kind: 'refused'; error: Error }> {
    const keepReserved = attempt === 'resend' || cancellation.source === 'late_approval';
    // Every cancel counts in the merchant's gateway rate: the API's slot, or one waited for here.
    const sendSlot = slot ?? (await this.gatewayRate.acquire(payment.merchant));
    let outcome: PaystoryOutcome<CancelApproved>;
    try {
      const share = storedParts(cancellation);
      outcome = await this.gatewayRate.callUnder(sendSlot, (sendBy) =>
        this.gateway.cancel({
          sendBy,
          merchant: payment.merchant,
          tid: payment.tid ?? undefined,
          // An approval known without its tid (learnt from a record that had none) is named by its order number.
          byOrderNo: !payment.tid,
          payMethod: payment.payMethod,
          amount: cancellation.amount,
          partial: cancellation.partial,
          reason: cancellation.reason,
          orderNo: payment.orderId,
          notiUrl: `${this.config.publicBaseUrl}/v1/notifications/paystory`,
          amounts: share && toWire(share),
        }),
      );
      faultPoint('cancel.after-gateway', payment.orderId);
    } catch (error) {
      if (error instanceof PaystoryOutcomeUnknownError) {
        this.logger.warn(
          `Cancel ${cancellation.id} outcome unknown (${error.reason}); the resolver will ask the gateway`,
        );
        await this.ledger.markUnknown(cancellation.id);
        return { kind: 'unknown' };
      }
      if (keepReserved && (error instanceof PaystoryUnavailableError || error instanceof PaystoryRequestInvalidError)) {
        await this.ledger.markUnknown(cancellation.id);
        return { kind: 'unknown' };
      }
      if (error instanceof PaystoryUnavailableError || error instanceof PaystoryRequestInvalidError) {
        await this.ledger.fail(
          cancellation.id,
          error instanceof PaystoryUnavailableError ? GATEWAY_UNREACHABLE : REQUEST_INVALID,
          error.message,
        );
      }
      // Anything else (our own database failing after the call): the row stays PENDING, reserved,
      // and the resolver learns the truth from the gateway once it counts as abandoned.
      throw error;
    }
    if (outcome.ok) {
      await this.ledger.settle(cancellation.id, outcome.data);
      return { kind: 'succeeded' };
    }
    // 2021/2022, a success code that is not the cancel's, or no code at all: the query will tell.
    // On a resend, "already cancelled" says the first request went through: the query will show its tid.
    if (outcome.category === 'unknown' || (attempt === 'resend' && outcome.category === 'already_done')) {
      await this.ledger.markUnknown(cancellation.id);
      return { kind: 'unknown' };
    }
    await this.ledger.fail(cancellation.id, outcome.code, outcome.message);
    return {
      kind: 'refused',
      error: gatewayRefused(outcome, 'The gateway refused the cancel', { payment: await this.view(payment.id) }),
    };
  }

  /** Sends a reserved cancel by its id (see `reserveLateApprovalCancel`, and the resolver). */
  async sendReserved(cancellationId: string): Promise<CancelSendOutcome> {
    const cancellation = await this.cancellations.findOneByOrFail({ id: cancellationId });
    const payment = await this.payments.findOneByOrFail({ id: cancellation.paymentId });
    const outcome = await this.send(payment, cancellation);
    return outcome.kind;
  }

  /** The payment with its cancels: the tenant's, or (without one) any tenant's, for operators and background work. */
  async view(paymentId: string, tenantId?: string): Promise<PaymentView> {
    const payment = await this.payments.findOneBy(
      tenantId === undefined ? { id: paymentId } : { id: paymentId, tenantId },
    );
    if (!payment) throw AppError.notFound('payment', paymentId);
    return paymentView(payment, await this.cancellations.find({ where: { paymentId }, order: { createdAt: 'ASC' } }));
  }

  /** What a retry of an Idempotency-Key answers: the first cancel as it stands now. */
  private async answerFor(cancellation: CancellationEntity): Promise<CancelResult> {
    if (cancellation.status === 'FAILED') {
      throw new AppError(ErrorCode.GatewayRefused, 'The gateway refused the cancel', {
        code: cancellation.failureCode ?? undefined,
        gatewayMessage: cancellation.failureMessage ?? undefined,
        payment: await this.view(cancellation.paymentId),
      });
    }
    return this.result(cancellation.paymentId, cancellation.status === 'SUCCEEDED' ? 200 : 202);
  }

  private async result(paymentId: string, httpStatus: number): Promise<CancelResult> {
    return { httpStatus, payment: await this.view(paymentId) };
  }
}
