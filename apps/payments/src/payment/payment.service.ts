import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PaystoryClient, PaystoryOutcomeUnknownError, PaystoryRequestInvalidError, PaystoryUnavailableError } from '@app/paystory';
import { Repository } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { CancellationEntity } from '../cancel/entities/cancellation.entity';
import { AppError } from '../common/errors/app-error';
import { faultPoint } from '../common/faults/fault-points';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { newId } from '../database/ids';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { PaymentEntity } from './entities/payment.entity';
import { GATEWAY_UNREACHABLE } from './failure-codes';
import { idempotencyRefOf } from '../common/ids/idempotency-ref';
import { generateOrderId, orderIdForIdempotencyKey } from '../common/ids/order-id';
import { checkChargeRules } from './charge-rules';
import { PaymentStateService } from './payment-state.service';
import { chargeHttpStatus, paymentView, PaymentView } from './payment.view';

/** What to charge, beyond the billing key. */
export interface ChargeRequest {
  orderId: string;
  amount: number;
  goodsName: string;
  installmentMonths: number;
  buyerName?: string;
  buyerTel?: string;
  buyerEmail?: string;
  customerRef?: string;
  metadata?: string;
  /** Which Idempotency-Key created the payment, so that its retry finds it (see order-id.ts). */
  idempotencyRef?: string;
}

export interface ChargeResult {
  httpStatus: number;
  payment: PaymentView;
}

/**
 * Charges billing keys (§5). The payment row is committed PENDING before the gateway is called;
 * a lost answer makes it UNKNOWN (never DECLINED, never sent again) for the resolver to settle.
 */
@Injectable()
export class PaymentService {
  private readonly logger = new Logger(PaymentService.name);

  constructor(
    @InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>,
    @InjectRepository(CancellationEntity) private readonly cancellations: Repository<CancellationEntity>,
    private readonly billing: BillingService,
    private readonly gateway: PaystoryClient,
    private readonly state: PaymentStateService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async charge(dto: CreatePaymentDto, idempotency?: { scope: string; key: string }): Promise<ChargeResult> {
    const key = await this.billing.requireActive(dto.billingKeyId);
    const installmentMonths = dto.installmentMonths ?? 0;
    const ruleErrors = checkChargeRules({ payMethod: key.payMethod, amount: dto.amount, installmentMonths });
    if (ruleErrors.length > 0) throw AppError.validation(ruleErrors);

    const orderId = dto.orderId ?? (idempotency ? orderIdForIdempotencyKey(idempotency.scope, idempotency.key) : generateOrderId());
    const idempotencyRef = idempotency ? idempotencyRefOf(idempotency.scope, idempotency.key) : undefined;
    const { payment, created } = await this.chargeOnce(key, {
      orderId,
      amount: dto.amount,
      goodsName: dto.goodsName,
      installmentMonths,
      buyerName: dto.buyerName,
      buyerTel: dto.buyerTel,
      buyerEmail: dto.buyerEmail,
      customerRef: dto.customerRef,
      metadata: dto.metadata,
      idempotencyRef,
    });
    if (!created) return this.answerForExistingOrder(payment, dto, idempotencyRef);
    return this.result(payment);
  }

  /**
   * Writes the PENDING row and calls the gateway once. An orderId already taken is not charged
   * again: the existing payment comes back with `created: false`. Used by the API and the
   * subscription scheduler alike; never throws for a decline or a lost answer.
   */
  async chargeOnce(key: BillingKeyEntity, request: ChargeRequest): Promise<{ payment: PaymentEntity; created: boolean }> {
    let pending = this.newPendingPayment(key, request);
    if (!(await this.insertPending(pending))) {
      const existing = await this.payments.findOneByOrFail({ orderId: request.orderId });
      const revived = await this.reviveUnsent(existing, key, request);
      if (!revived) return { payment: existing, created: false };
      pending = revived;
    }
    faultPoint('charge.after-insert', pending.orderId);
    try {
      const outcome = await this.gateway.charge({
        merchant: key.merchant,
        bid: key.bid,
        payMethod: key.payMethod,
        orderNo: pending.orderId,
        goodsName: pending.goodsName,
        amount: pending.amount,
        installmentMonths: pending.installmentMonths,
        buyerName: pending.buyerName,
        buyerTel: pending.buyerTel,
        buyerEmail: pending.buyerEmail ?? undefined,
        customerRef: pending.customerRef ?? undefined,
        reserved: pending.metadata ?? undefined,
        notiUrl: `${this.config.publicBaseUrl}/v1/notifications/paystory`,
      });
      faultPoint('charge.after-gateway', pending.orderId);
      if (outcome.ok) return { payment: await this.state.approve(pending.id, outcome.data), created: true };
      if (outcome.category === 'unknown') {
        // A refusal that does not say what happened (no result code): learn it from the query, never guess.
        return { payment: await this.state.markUnknown(pending.id, this.firstResolveAt()), created: true };
      }
      return { payment: await this.state.decline(pending.id, { code: outcome.code, message: outcome.message, category: outcome.category }), created: true };
    } catch (error) {
      return { payment: await this.onGatewayFailure(pending, error), created: true };
    }
  }

  /** The payment with its cancellations, oldest first. */
  async get(id: string): Promise<PaymentView> {
    const payment = await this.require(id);
    return paymentView(payment, await this.cancellations.find({ where: { paymentId: id }, order: { createdAt: 'ASC' } }));
  }

  async require(id: string): Promise<PaymentEntity> {
    const payment = await this.payments.findOneBy({ id });
    if (!payment) throw AppError.notFound('payment', id);
    return payment;
  }

  private newPendingPayment(key: BillingKeyEntity, request: ChargeRequest): PaymentEntity {
    return this.payments.create({
      id: newId('pay'),
      orderId: request.orderId,
      billingKeyId: key.id,
      customerId: key.customerId,
      customerRef: request.customerRef ?? null,
      merchant: key.merchant,
      mid: key.mid,
      payMethod: key.payMethod,
      status: 'PENDING',
      amount: request.amount,
      cancelledAmount: 0,
      pendingCancelAmount: 0,
      installmentMonths: request.installmentMonths,
      goodsName: request.goodsName,
      buyerName: request.buyerName ?? key.buyerName,
      buyerTel: request.buyerTel ?? key.buyerTel,
      buyerEmail: request.buyerEmail ?? key.buyerEmail,
      metadata: request.metadata ?? null,
      idempotencyRef: request.idempotencyRef ?? null,
      cardMasked: key.cardNoMasked,
      cardIssuerCode: key.cardCompanyCode,
      cardIssuerName: key.cardCompanyName,
      sentAt: new Date(),
      resolveAttempts: 0,
      needsAttention: false,
      // Set here, to the millisecond: TypeORM's own default on SQLite keeps whole seconds, which the list's keyset cursor cannot page through.
      createdAt: new Date(),
    });
  }

  /**
   * A charge refused with GATEWAY_UNREACHABLE never left the service (connection refused), so the
   * same order (same key and amount: a retry) may be sent now: it goes back to PENDING first, by a
   * conditional update that only one retry wins.
   */
  private async reviveUnsent(existing: PaymentEntity, key: BillingKeyEntity, request: ChargeRequest): Promise<PaymentEntity | undefined> {
    const sameOrder = existing.status === 'DECLINED' && existing.failureCode === GATEWAY_UNREACHABLE && existing.billingKeyId === key.id && existing.amount === request.amount;
    if (!sameOrder) return undefined;
    const revived = await this.uow.run((m) =>
      m.update(
        PaymentEntity,
        { id: existing.id, status: 'DECLINED', failureCode: GATEWAY_UNREACHABLE },
        { status: 'PENDING', failureCode: null, failureMessage: null, failureCategory: null, sentAt: new Date() },
      ),
    );
    return revived.affected === 1 ? this.payments.findOneByOrFail({ id: existing.id }) : undefined;
  }

  /** Commits the PENDING row; false when the orderId is taken. */
  private async insertPending(payment: PaymentEntity): Promise<boolean> {
    try {
      await this.uow.run((m) => m.insert(PaymentEntity, payment));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * The orderId exists. When it was derived from this caller's Idempotency-Key, this is a retry
   * of the same charge (its first process died): answer with that payment as it stands.
   */
  private answerForExistingOrder(existing: PaymentEntity, dto: CreatePaymentDto, idempotencyRef: string | undefined): ChargeResult {
    const sameRequest = !!idempotencyRef && existing.idempotencyRef === idempotencyRef && existing.billingKeyId === dto.billingKeyId && existing.amount === dto.amount;
    if (sameRequest) return this.result(existing);
    throw new AppError(ErrorCode.DuplicateOrderId, `orderId ${existing.orderId} is already used by payment ${existing.id}`);
  }

  private async onGatewayFailure(pending: PaymentEntity, error: unknown): Promise<PaymentEntity> {
    if (error instanceof PaystoryOutcomeUnknownError) {
      this.logger.warn(`Charge ${pending.id} outcome unknown (${error.reason}); the resolver will ask the gateway`);
      return this.state.markUnknown(pending.id, this.firstResolveAt());
    }
    if (error instanceof PaystoryRequestInvalidError) {
      // Nothing left the service: take the row back so nothing half-written remains.
      await this.uow.run((m) => m.delete(PaymentEntity, { id: pending.id, status: 'PENDING' }));
      throw error;
    }
    if (error instanceof PaystoryUnavailableError) {
      return this.state.decline(pending.id, { code: GATEWAY_UNREACHABLE, message: 'The gateway could not be reached; nothing was charged', category: 'retry_later' });
    }
    throw error;
  }

  private firstResolveAt(): Date {
    return new Date(Date.now() + this.config.janitor.baseBackoffMs);
  }

  private result(payment: PaymentEntity): ChargeResult {
    if (payment.status === 'DECLINED' && payment.failureCode === GATEWAY_UNREACHABLE) {
      throw new AppError(ErrorCode.GatewayUnavailable, 'The gateway could not be reached; nothing was charged', { payment: paymentView(payment) });
    }
    if (payment.status === 'DECLINED') {
      throw new AppError(ErrorCode.GatewayRefused, 'The card was not charged', {
        code: payment.failureCode ?? undefined,
        gatewayMessage: payment.failureMessage ?? undefined,
        payment: paymentView(payment),
      });
    }
    // A charge answer is a new payment (or its retry): no cancellations yet.
    return { httpStatus: chargeHttpStatus(payment), payment: paymentView(payment, []) };
  }
}
