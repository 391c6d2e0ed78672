import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CancelApproved, PaystoryClient, PaystoryOutcomeUnknownError, PaystoryRequestInvalidError, PaystoryUnavailableError } from '@app/paystory';
import { EntityManager, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { faultPoint } from '../common/faults/fault-points';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { newId } from '../database/ids';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { recordEvent } from '../events/outbox';
import { gatewayRefused } from '../gateway/gateway-refusal';
import { PaymentEntity } from '../payment/entities/payment.entity';
import { cancellableAmount, paymentView, PaymentView } from '../payment/payment.view';
import { CancelPaymentDto } from './dto/cancel-payment.dto';
import { CancellationEntity } from './entities/cancellation.entity';

export interface CancelResult {
  httpStatus: number;
  payment: PaymentView;
}

/**
 * Full and partial refunds (§7) against a tracked balance. The amount is reserved on the payment
 * row (row lock on PostgreSQL, the serialised unit of work on SQLite) before the gateway is
 * called, so concurrent cancels can never take the total over the approved amount.
 */
@Injectable()
export class CancelService {
  private readonly logger = new Logger(CancelService.name);

  constructor(
    @InjectRepository(CancellationEntity) private readonly cancellations: Repository<CancellationEntity>,
    @InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>,
    private readonly gateway: PaystoryClient,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async cancel(paymentId: string, dto: CancelPaymentDto): Promise<CancelResult> {
    const { payment, cancellation } = await this.reserve(paymentId, dto);
    faultPoint('cancel.after-reserve', payment.orderId);
    try {
      const outcome = await this.gateway.cancel({
        merchant: payment.merchant,
        tid: payment.tid ?? '',
        payMethod: payment.payMethod,
        amount: cancellation.amount,
        partial: cancellation.partial,
        reason: cancellation.reason,
        orderNo: payment.orderId,
        notiUrl: `${this.config.publicBaseUrl}/v1/notifications/paystory`,
      });
      faultPoint('cancel.after-gateway', payment.orderId);
      if (outcome.ok) return this.result(await this.settle(cancellation.id, outcome.data), 200);
      // 2021/2022 or no code at all do not say whether the refund happened: the query will tell.
      if (outcome.category === 'unknown') return this.result(await this.markUnknown(cancellation.id, paymentId), 202);
      await this.fail(cancellation.id, outcome.code, outcome.message);
      throw gatewayRefused(outcome, 'The gateway refused the cancel', { payment: await this.view(paymentId) });
    } catch (error) {
      if (error instanceof PaystoryOutcomeUnknownError) {
        this.logger.warn(`Cancel ${cancellation.id} outcome unknown (${error.reason}); the resolver will ask the gateway`);
        return this.result(await this.markUnknown(cancellation.id, paymentId), 202);
      }
      if (error instanceof PaystoryUnavailableError || error instanceof PaystoryRequestInvalidError) {
        await this.fail(cancellation.id, error instanceof PaystoryUnavailableError ? 'GATEWAY_UNREACHABLE' : 'REQUEST_INVALID', error.message);
      }
      throw error;
    }
  }

  /**
   * Records a cancel the gateway confirmed: the cancellation, the payment's balance and its state
   * change in one transaction with the event. A cancel already recorded (same tid) changes nothing.
   */
  async settle(cancellationId: string, approved: CancelApproved): Promise<string> {
    return this.uow.run(async (m) => {
      const { paymentId } = await m.findOneByOrFail(CancellationEntity, { id: cancellationId });
      const payment = await this.lockPayment(m, paymentId);
      // Read again under the payment's lock: a racing settle of the same cancel has committed by now.
      const cancellation = await m.findOneByOrFail(CancellationEntity, { id: cancellationId });
      if (cancellation.status === 'SUCCEEDED') return paymentId;
      const holder = await m.findOneBy(CancellationEntity, { tid: approved.tid });
      if (holder) {
        // Another row already carries this tid: which one is which is for the transaction query to say.
        await m.update(CancellationEntity, { id: cancellationId }, { status: 'UNKNOWN', nextResolveAt: new Date() });
        return paymentId;
      }
      // A cancel given up as FAILED had its reservation released already: release it only once.
      const reserved = cancellation.status === 'PENDING' || cancellation.status === 'UNKNOWN';
      cancellation.status = 'SUCCEEDED';
      cancellation.tid = approved.tid;
      cancellation.cancelledAt = approved.cancelledAt ?? new Date();
      await m.save(CancellationEntity, cancellation);
      if (reserved) payment.pendingCancelAmount -= cancellation.amount;
      await this.applyCancelledAmount(m, payment, cancellation.amount);
      return paymentId;
    });
  }

  /**
   * Adds a confirmed cancel to the payment's balance and moves its state; shared by the API's own
   * cancels and the cancels the gateway tells about (notifications), so there is one path to money state.
   */
  async applyCancelledAmount(m: EntityManager, payment: PaymentEntity, amount: number): Promise<void> {
    payment.cancelledAmount += amount;
    if (payment.cancelledAmount > payment.amount) {
      payment.needsAttention = true;
      payment.attentionReason = `Cancelled ${payment.cancelledAmount} KRW of a ${payment.amount} KRW payment`;
    }
    payment.status = payment.cancelledAmount >= payment.amount ? 'CANCELLED' : 'PARTIALLY_CANCELLED';
    const saved = await m.save(PaymentEntity, payment);
    const cancellations = await m.find(CancellationEntity, { where: { paymentId: payment.id }, order: { createdAt: 'ASC' } });
    await recordEvent(m, saved.status === 'CANCELLED' ? 'payment.cancelled' : 'payment.partially_cancelled', paymentView(saved, cancellations));
    this.logger.log(`Payment ${payment.id} ${saved.status}: ${payment.cancelledAmount} of ${payment.amount} KRW cancelled`);
  }

  /**
   * Records a cancel the gateway reports (transaction query, confirming a notification). Its tid
   * already recorded: nothing changes, so repeats apply once. One of ours whose answer was lost
   * (UNKNOWN) with that amount: it is that one. One of ours still awaiting its answer (PENDING) with
   * that amount: `deferred`, since that answer will name its own tid. Otherwise a cancel made
   * elsewhere (e.g. the gateway's admin console), recorded with source `gateway`.
   */
  async recordGatewayCancel(paymentId: string, cancel: { tid: string; amount: number; cancelledAt?: Date }): Promise<'recorded' | 'deferred'> {
    try {
      const step = await this.uow.run(async (m): Promise<{ kind: 'recorded' | 'deferred' } | { kind: 'settle'; id: string }> => {
        // Lock first: concurrent reports of the same cancel serialise here and see each other's work.
        const payment = await this.lockPayment(m, paymentId);
        if (await m.findOneBy(CancellationEntity, { tid: cancel.tid })) return { kind: 'recorded' };
        if (await m.findOneBy(CancellationEntity, { paymentId, status: 'PENDING', amount: cancel.amount })) return { kind: 'deferred' };
        const lost = await m.findOne(CancellationEntity, { where: { paymentId, status: 'UNKNOWN', amount: cancel.amount }, order: { createdAt: 'ASC' } });
        if (lost) return { kind: 'settle', id: lost.id };
        const now = new Date();
        await m.insert(CancellationEntity, {
          id: newId('can'),
          paymentId,
          tid: cancel.tid,
          amount: cancel.amount,
          partial: cancel.amount < payment.amount - payment.cancelledAmount,
          reason: 'Cancelled at the gateway',
          status: 'SUCCEEDED',
          source: 'gateway',
          cancelledAt: cancel.cancelledAt ?? now,
          resolveAttempts: 0,
          createdAt: now,
          updatedAt: now,
        });
        await this.applyCancelledAmount(m, payment, cancel.amount);
        return { kind: 'recorded' };
      });
      if (step.kind === 'settle') {
        await this.settle(step.id, { tid: cancel.tid, amount: cancel.amount, cancelledAt: cancel.cancelledAt });
        return 'recorded';
      }
      return step.kind;
    } catch (error) {
      if (isUniqueViolation(error)) return 'recorded'; // another instance recorded the same tid first
      throw error;
    }
  }

  /** The cancel's answer is lost or says nothing: its amount stays reserved until the transaction query tells. */
  private async markUnknown(cancellationId: string, paymentId: string): Promise<string> {
    await this.uow.run((m) =>
      m.update(CancellationEntity, { id: cancellationId, status: 'PENDING' }, { status: 'UNKNOWN', nextResolveAt: new Date(Date.now() + this.config.janitor.baseBackoffMs) }),
    );
    return paymentId;
  }

  /** Releases the reservation of a cancel that certainly did not happen. */
  async fail(cancellationId: string, code: string, message: string): Promise<void> {
    await this.uow.run(async (m) => {
      const { paymentId } = await m.findOneByOrFail(CancellationEntity, { id: cancellationId });
      const payment = await this.lockPayment(m, paymentId);
      const cancellation = await m.findOneByOrFail(CancellationEntity, { id: cancellationId });
      if (cancellation.status !== 'PENDING' && cancellation.status !== 'UNKNOWN') return;
      payment.pendingCancelAmount -= cancellation.amount;
      await m.save(PaymentEntity, payment);
      await m.update(CancellationEntity, { id: cancellationId }, { status: 'FAILED', failureCode: code, failureMessage: message.slice(0, 300), nextResolveAt: null });
    });
  }

  async view(paymentId: string): Promise<PaymentView> {
    const payment = await this.payments.findOneByOrFail({ id: paymentId });
    const cancellations = await this.cancellations.find({ where: { paymentId }, order: { createdAt: 'ASC' } });
    return paymentView(payment, cancellations);
  }

  private async reserve(paymentId: string, dto: CancelPaymentDto): Promise<{ payment: PaymentEntity; cancellation: CancellationEntity }> {
    return this.uow.run(async (m) => {
      const payment = await this.lockPayment(m, paymentId);
      if (payment.status !== 'APPROVED' && payment.status !== 'PARTIALLY_CANCELLED') {
        throw new AppError(ErrorCode.PaymentNotCancellable, `Payment ${paymentId} is ${payment.status}; only an approved payment can be cancelled${payment.status === 'UNKNOWN' || payment.status === 'PENDING' ? ' (its outcome is still being resolved)' : ''}`);
      }
      const available = cancellableAmount(payment);
      const amount = dto.amount ?? available;
      if (amount <= 0 || amount > available) {
        throw new AppError(ErrorCode.GatewayRefused, `amount ${amount} KRW is more than the ${available} KRW that can still be cancelled`, {
          code: '2032',
          errors: [{ field: 'amount', message: `amount must be at most ${available} KRW` }],
        });
      }
      const cancellation = m.create(CancellationEntity, {
        id: newId('can'),
        paymentId,
        tid: null,
        amount,
        // Full (partCanFlg 0) only when it takes everything left and no other cancel is in flight.
        partial: !(amount === payment.amount - payment.cancelledAmount && payment.pendingCancelAmount === 0),
        reason: dto.reason,
        status: 'PENDING',
        source: 'api',
        resolveAttempts: 0,
        // Millisecond precision on both databases: "oldest first" must hold for cancels in one second.
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      payment.pendingCancelAmount += amount;
      await m.save(PaymentEntity, payment);
      await m.insert(CancellationEntity, cancellation);
      return { payment, cancellation };
    });
  }

  private async lockPayment(m: EntityManager, id: string): Promise<PaymentEntity> {
    const payment = await m.findOne(PaymentEntity, { where: { id }, ...this.uow.lockMode });
    if (!payment) throw AppError.notFound('payment', id);
    return payment;
  }

  private async result(paymentId: string, httpStatus: number): Promise<CancelResult> {
    return { httpStatus, payment: await this.view(paymentId) };
  }
}
