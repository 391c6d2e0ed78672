import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import {
  isChargeApproval,
  mayBeDuplicateOrder,
  PaystoryClient,
  PaystoryOutcomeUnknownError,
  PaystoryRefusal,
  PaystoryRequestInvalidError,
  PaystoryUnavailableError,
} from '@app/paystory';
import { Repository } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { CancellationEntity } from './entities/cancellation.entity';
import { AppError } from '../common/errors/app-error';
import { faultPoint } from '../common/faults/fault-points';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { newId } from '../database/ids';
import type { GuardedWrites } from '../database/guarded-writes';
import { UnitOfWork } from '../database/unit-of-work';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { PaymentEntity } from './entities/payment.entity';
import { PaymentQueryService } from './payment-query.service';
import { approvalFromRecord } from './approval-from-record';
import { GATEWAY_UNREACHABLE } from './failure-codes';
import { idempotencyRefOf } from '../common/ids/idempotency-ref';
import { generateOrderId, orderIdForIdempotencyKey } from '../common/ids/order-id';
import { checkChargeRules } from './charge-rules';
import { PaymentStateService, type PaymentFailure, type TransitionOptions } from './state/payment-state.service';
import { handedClaim, type IdempotencyClaim } from '../idempotency/idempotency-claim';
import { chargeHttpStatus, paymentView, PaymentView } from './payment.view';
import { MerchantDirectory } from '../gateway/merchant-directory';
import { GatewayRateLimit, type GatewaySlot } from '../gateway/rate-limit/gateway-rate-limit';
import { InstanceLiveness } from '../instances/instance-liveness';
import { cancelledColumns, partColumns, storedParts } from './vat/payment-parts';
import { chargeParts, NO_PARTS, taxableParts, toWire, type VatParts } from './vat/vat-parts';

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
  /**
   * The instance an API charge is made by: should it die with the charge unresolved, the resolver
   * asks the gateway about it at once. A scheduled charge has none: its subscription's claim is
   * taken over with the dead instance, and the new owner asks (two askers would race).
   */
  senderInstanceId?: string;
  /** The amount's VAT split; absent: the gateway splits it, or a taxable split for a merchant that must send one. */
  vat?: VatParts;
  /**
   * The slot of the merchant's gateway rate the caller already holds (an API charge takes it before
   * anything is written). Absent: the charge waits for one just before its request goes.
   */
  gatewaySlot?: GatewaySlot;
  /**
   * The API request's Idempotency-Key, handed over by the interceptor: claimed in the PENDING row's
   * transaction and answered in the approval's, so that an approved charge takes two transactions.
   */
  idempotencyClaim?: IdempotencyClaim;
  /**
   * Written with the approval when this charge's own answer approves its PENDING row (the
   * subscription period it pays): the two commit together or not at all.
   */
  alsoOnApproval?: (writes: GuardedWrites, approved: PaymentEntity) => void;
}

/** What a charge's request writes beside its approval. */
type ApprovalWrites = Pick<ChargeRequest, 'idempotencyClaim' | 'alsoOnApproval'>;

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
    @InjectRepository(PaymentEntity, PAYMENTS_DATA_SOURCE) private readonly payments: Repository<PaymentEntity>,
    private readonly queries: PaymentQueryService,
    @InjectRepository(CancellationEntity, PAYMENTS_DATA_SOURCE)
    private readonly cancellations: Repository<CancellationEntity>,
    private readonly billing: BillingService,
    private readonly gateway: PaystoryClient,
    private readonly state: PaymentStateService,
    private readonly uow: UnitOfWork,
    private readonly merchants: MerchantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gatewayRate: GatewayRateLimit,
    private readonly liveness: InstanceLiveness,
  ) {}

  /** A charge of one of the tenant's billing keys; another tenant's key is as unknown as a missing one (404). */
  async charge(
    dto: CreatePaymentDto,
    tenantId: string,
    idempotency?: { scope: string; key: string } | IdempotencyClaim,
  ): Promise<ChargeResult> {
    const key = await this.billing.requireActive(dto.billingKeyId, tenantId);
    const installmentMonths = dto.installmentMonths ?? 0;
    // A phone key is held to its issuance's day and amount (§3.3.4).
    const issuance = key.payMethod === 'PHONE' ? await this.queries.findIssuancePayment(key) : null;
    const ruleErrors = checkChargeRules(
      { payMethod: key.payMethod, amount: dto.amount, installmentMonths },
      { issuedAt: key.issuedAt, issuanceAmount: issuance?.amount, at: new Date() },
    );
    if (ruleErrors.length > 0) throw AppError.validation(ruleErrors);
    const vat = chargeParts(dto, dto.amount, this.merchants.vatMode(key.merchant));
    // A slot of the merchant's gateway rate before anything is written: none within the wait is a 429 that changed nothing.
    const gatewaySlot = await this.gatewayRate.acquireWithin(key.merchant, this.config.paystory.rateLimitWaitMs);

    const orderId =
      dto.orderId ?? (idempotency ? orderIdForIdempotencyKey(idempotency.scope, idempotency.key) : generateOrderId());
    const idempotencyRef = idempotency ? idempotencyRefOf(idempotency.scope, idempotency.key) : undefined;
    const request: ChargeRequest = {
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
      senderInstanceId: this.liveness.id,
      vat,
      gatewaySlot,
      idempotencyClaim: handedClaim(idempotency),
    };
    try {
      const { payment, created } = await this.chargeOnce(key, request);
      if (!created) return this.answerForExistingOrder(payment, dto, tenantId, idempotencyRef);
      return this.result(payment);
    } finally {
      // No request under it (an order that exists, a key another request claimed): another charge may have it.
      await this.gatewayRate.giveBackUnused(gatewaySlot);
    }
  }

  /**
   * Writes the PENDING row and calls the gateway once. An orderId already taken is not charged
   * again: the existing payment comes back with `created: false`. Used by the API and the
   * subscription scheduler alike; never throws for a decline or a lost answer. The scheduler's
   * slot of the merchant's gateway rate is taken right before the request, after the row is
   * written: the later it is taken, the surer the request reaches the gateway in the second it
   * was counted in.
   */
  async chargeOnce(
    key: BillingKeyEntity,
    request: ChargeRequest,
  ): Promise<{ payment: PaymentEntity; created: boolean }> {
    let pending = this.newPendingPayment(key, request);
    const claim = request.idempotencyClaim;
    if (!(await this.state.insertPending(pending, claim && ((writes) => claim.claimIn(writes))))) {
      const existing = await this.payments.findOneByOrFail({ orderId: request.orderId });
      const revived = await this.reviveUnsent(existing, key, request);
      if (!revived) return { payment: existing, created: false };
      pending = revived;
    }
    faultPoint('charge.after-insert', pending.orderId);
    const slot = request.gatewaySlot ?? (await this.gatewayRate.acquire(key.merchant));
    return { payment: await this.send(key, pending, slot, 'first', request), created: true };
  }

  /**
   * Sends an unresolved charge's order again, as the same order: the resolver's answer to "the
   * gateway has no record of it", which is never final (the gateway may process it late). The
   * gateway approves an order once, so this cannot charge twice: if the first request was
   * processed meanwhile, the gateway refuses the duplicate and the query finds the approval.
   * Undefined when the charge cannot be sent again (no billing key: a phone issuance's payment).
   */
  async resendUnresolved(payment: PaymentEntity): Promise<PaymentEntity | undefined> {
    const key = payment.billingKeyId ? await this.billing.findById(payment.billingKeyId) : null;
    if (!key) return undefined;
    const slot = await this.gatewayRate.acquire(key.merchant);
    if (!(await this.state.markResent(payment.id))) return this.payments.findOneByOrFail({ id: payment.id });
    this.logger.log(
      `Payment ${payment.id}: the gateway has no record of order ${payment.orderId}; sending the same order again`,
    );
    return this.send(key, payment, slot, 'resend');
  }

  /**
   * Calls the gateway once for the payment's order and records what it said. Never throws for a
   * decline or a lost answer. A resend comes from an unresolved charge whose first request may
   * still be processed late: a transport failure leaves it UNKNOWN rather than declining it.
   */
  private async send(
    key: BillingKeyEntity,
    pending: PaymentEntity,
    slot: GatewaySlot,
    attempt: 'first' | 'resend',
    writes: ApprovalWrites = {},
  ): Promise<PaymentEntity> {
    const parts = storedParts(pending);
    // From the row as this charge wrote it: no read before the update.
    const fromPending: TransitionOptions = { known: pending };
    try {
      const outcome = await this.gatewayRate.callUnder(slot, (sendBy) =>
        this.gateway.charge({
          sendBy,
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
          amounts: parts && toWire(parts),
        }),
      );
      faultPoint('charge.after-gateway', pending.orderId);
      if (outcome.ok) return await this.state.approve(pending.id, outcome.data, this.approvalWith(pending, writes));
      // A refusal that does not say what happened (no code, or a success code that is not the charge's): learn it from the query.
      if (outcome.category === 'unknown')
        return await this.state.markUnknown(pending.id, this.firstResolveAt(), fromPending);
      // The order may have been approved already (a request processed late, or a resend): the gateway's record decides.
      if (mayBeDuplicateOrder(outcome.code)) return await this.confirmRefusedOrder(pending, outcome, attempt, writes);
      return await this.state.decline(
        pending.id,
        { code: outcome.code, message: outcome.message, category: outcome.category, ...this.watchedIf(attempt) },
        fromPending,
      );
    } catch (error) {
      return this.onGatewayFailure(pending, error, attempt);
    }
  }

  /**
   * The approval of this charge's PENDING row, with the request's Idempotency-Key answered in the
   * same writes (the answer the controller returns: {@link result} of the approved row), so the
   * interceptor writes none, and the caller's own writes (`alsoOnApproval`). Only an approval of the
   * row as sent is answered so: anything else (another source moved it first, a late approval) is
   * answered by the interceptor, and left to the caller, as before.
   */
  private approvalWith(
    pending: PaymentEntity,
    { idempotencyClaim, alsoOnApproval }: ApprovalWrites,
  ): TransitionOptions {
    return {
      known: pending,
      alsoWrite: (writes, from, approved) => {
        if (from !== 'PENDING') return;
        if (idempotencyClaim) {
          const answer = this.result(approved);
          idempotencyClaim.answerIn(writes, answer.httpStatus, answer.payment);
        }
        alsoOnApproval?.(writes, approved);
      },
    };
  }

  /** A charge refused as a possible duplicate order: approved if the gateway holds an approval for it, else declined. */
  private async confirmRefusedOrder(
    pending: PaymentEntity,
    refusal: PaystoryRefusal,
    attempt: 'first' | 'resend',
    writes: ApprovalWrites,
  ): Promise<PaymentEntity> {
    const query = await this.gatewayRate
      .send(pending.merchant, (sendBy) =>
        this.gateway.queryByOrderNo(pending.orderId, { merchant: pending.merchant, sendBy }),
      )
      .catch(() => undefined);
    if (!query?.ok) return this.state.markUnknown(pending.id, this.firstResolveAt(), { known: pending });
    const approval = query.data.transactions.find((r) => isChargeApproval(r.resultCode));
    if (approval)
      return this.state.approve(pending.id, approvalFromRecord(approval, pending), this.approvalWith(pending, writes));
    return this.state.decline(
      pending.id,
      { code: refusal.code, message: refusal.message, category: refusal.category, ...this.watchedIf(attempt) },
      { known: pending },
    );
  }

  /**
   * A resend's decline is this request's answer, not the order's: the first request, unanswered,
   * may still be processed late. The resolver keeps asking (PaymentFailure.checkAgainAt).
   */
  private watchedIf(attempt: 'first' | 'resend'): Pick<PaymentFailure, 'checkAgainAt'> {
    return attempt === 'resend' ? { checkAgainAt: this.firstResolveAt() } : {};
  }

  /** The tenant's payment with its cancellations, oldest first; another tenant's is a 404. */
  async get(id: string, tenantId: string): Promise<PaymentView> {
    const payment = await this.require(id, tenantId);
    return paymentView(
      payment,
      await this.cancellations.find({ where: { paymentId: id }, order: { createdAt: 'ASC' } }),
    );
  }

  private async require(id: string, tenantId: string): Promise<PaymentEntity> {
    const payment = await this.payments.findOneBy({ id, tenantId });
    if (!payment) throw AppError.notFound('payment', id);
    return payment;
  }

  private newPendingPayment(key: BillingKeyEntity, request: ChargeRequest): PaymentEntity {
    // The scheduler's charges carry no split: one that must be sent is the taxable split of the amount.
    const vat =
      request.vat ?? (this.merchants.vatMode(key.merchant) === 'amounts' ? taxableParts(request.amount) : undefined);
    // Assigned, not `repository.create()`: the same plain columns, without its per-property transformation.
    // Sources, not spreads into one literal: a literal of forty properties after two spreads took V8
    // about 26 KB a charge to build (its shape built anew each time), a fifth of the charge's garbage.
    return Object.assign(new PaymentEntity(), partColumns(vat), cancelledColumns(vat && NO_PARTS), {
      id: newId('pay'),
      // The key's tenant: the caller's for the API, the subscription's for the scheduler.
      tenantId: key.tenantId,
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
      senderInstanceId: request.senderInstanceId ?? null,
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
   * A charge declined as never charged (connection refused, or an order the gateway did not know)
   * is retried as the same order (same key and amount): it goes back to PENDING first, by a
   * conditional update that only one retry wins. The gateway approves an order once, so a first
   * request processed late and this retry can never both be approved.
   */
  private async reviveUnsent(
    existing: PaymentEntity,
    key: BillingKeyEntity,
    request: ChargeRequest,
  ): Promise<PaymentEntity | undefined> {
    const sameOrder = existing.billingKeyId === key.id && existing.amount === request.amount;
    return sameOrder ? this.state.retryNeverCharged(existing, request.senderInstanceId) : undefined;
  }

  /**
   * The orderId exists. When it was derived from this caller's Idempotency-Key, this is a retry
   * of the same charge (its first process died): answer with that payment as it stands. Order ids
   * are unique across tenants (the gateway knows an ordNo once): another tenant's payment is a
   * conflict that names nothing of it.
   */
  private answerForExistingOrder(
    existing: PaymentEntity,
    dto: CreatePaymentDto,
    tenantId: string,
    idempotencyRef: string | undefined,
  ): ChargeResult {
    const sameTenant = existing.tenantId === tenantId;
    const sameRequest =
      sameTenant &&
      !!idempotencyRef &&
      existing.idempotencyRef === idempotencyRef &&
      existing.billingKeyId === dto.billingKeyId &&
      existing.amount === dto.amount;
    if (sameRequest) return this.result(existing);
    throw new AppError(
      ErrorCode.DuplicateOrderId,
      sameTenant
        ? `orderId ${existing.orderId} is already used by payment ${existing.id}`
        : `orderId ${existing.orderId} is already used`,
    );
  }

  private async onGatewayFailure(
    pending: PaymentEntity,
    error: unknown,
    attempt: 'first' | 'resend',
  ): Promise<PaymentEntity> {
    if (
      error instanceof PaystoryOutcomeUnknownError ||
      (attempt === 'resend' && error instanceof PaystoryUnavailableError)
    ) {
      this.logger.warn(`Charge ${pending.id} outcome unknown (${error.name}); the resolver will ask the gateway`);
      return this.state.markUnknown(pending.id, this.firstResolveAt(), { known: pending });
    }
    if (error instanceof PaystoryRequestInvalidError && attempt === 'first') {
      // Nothing left the service: take the row back so nothing half-written remains.
      await this.state.withdraw(pending.id);
      throw error;
    }
    if (error instanceof PaystoryUnavailableError) {
      return this.state.decline(
        pending.id,
        {
          code: GATEWAY_UNREACHABLE,
          message: 'The gateway could not be reached; nothing was charged',
          category: 'retry_later',
        },
        { known: pending },
      );
    }
    throw error;
  }

  private firstResolveAt(): Date {
    return new Date(Date.now() + this.config.janitor.baseBackoffMs);
  }

  private result(payment: PaymentEntity): ChargeResult {
    if (payment.status === 'DECLINED' && payment.failureCode === GATEWAY_UNREACHABLE) {
      throw new AppError(ErrorCode.GatewayUnavailable, 'The gateway could not be reached; nothing was charged', {
        payment: paymentView(payment),
      });
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
