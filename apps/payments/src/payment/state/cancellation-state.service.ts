import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import type { CancelApproved } from '@app/paystory';
import { proportionalShares } from '@app/paystory';
import { EntityManager, In, LessThan, Repository } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { newId } from '../../database/ids';
import { isUniqueViolation } from '../../database/unique-violation';
import { UnitOfWork } from '../../database/unit-of-work';
import { DomainEvents } from '../../events/domain-events';
import { CancelPaymentDto } from '../cancel/dto/cancel-payment.dto';
import { CancellationEntity, CancellationSource } from '../entities/cancellation.entity';
import { PaymentEntity } from '../entities/payment.entity';
import { NEVER_SENT_CANCEL_CODES, NOT_AT_GATEWAY } from '../failure-codes';
import { cancellableAmount, paymentView } from '../payment.view';
import { isAllowedTransition } from './payment-transitions';
import { MerchantDirectory } from '../../gateway/merchant-directory';
import { cancelledColumns, cancelledParts, partColumns, partsLeft, storedParts } from '../vat/payment-parts';
import { addParts, cancelShare, type VatParts } from '../vat/vat-parts';

/**
 * The cancellations' half of the state machine: the one writer of cancellation rows and of the
 * balance they move on the payment (`pendingCancelAmount` reserved, `cancelledAmount` and the
 * status taken back), each in one transaction with its event. CancelService talks to the gateway
 * and records what it said through here; the resolvers and the reconciler do the same.
 */
@Injectable()
export class CancellationStateService {
  private readonly logger = new Logger(CancellationStateService.name);

  constructor(
    @InjectRepository(CancellationEntity, PAYMENTS_DATA_SOURCE)
    private readonly cancellations: Repository<CancellationEntity>,
    private readonly uow: UnitOfWork,
    private readonly events: DomainEvents,
    private readonly merchants: MerchantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Reserves a full cancel of a charge the service had reported as not charged and that turned
   * out approved, in the transaction that records the approval; sent once that commits.
   */
  async reserveLateApprovalCancel(m: EntityManager, payment: PaymentEntity): Promise<CancellationEntity> {
    const cancellation = this.newCancellation(payment, {
      amount: payment.amount - payment.cancelledAmount,
      partial: false,
      reason: 'Approved after it was reported as not charged: cancelled automatically',
      source: 'late_approval',
      idempotencyRef: null,
      vat: partsLeft(payment, await this.inFlight(m, payment.id)),
    });
    payment.pendingCancelAmount += cancellation.amount;
    await m.update(PaymentEntity, { id: payment.id }, { pendingCancelAmount: payment.pendingCancelAmount });
    await m.insert(CancellationEntity, cancellation);
    return cancellation;
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
      // A cancel by order number names the approval it found (oTid): the tid this payment lacked.
      if (!payment.tid && approved.originalTid) payment.tid = approved.originalTid;
      await this.applyCancelledAmount(m, payment, cancellation.amount, storedParts(cancellation));
      if (cancellation.source === 'late_approval') {
        await this.events.record(
          m,
          'payment.late_approval_cancelled',
          paymentView(payment, await this.cancellationsOf(m, paymentId)),
          payment.tenantId,
        );
        this.logger.warn(`Payment ${paymentId}: late approval cancelled at the gateway (${cancellation.amount} KRW)`);
      }
      return paymentId;
    });
  }

  /**
   * Adds a confirmed cancel to the payment's balance and moves its state; shared by the API's own
   * cancels and the cancels the gateway tells about (notifications), so there is one path to money state.
   */
  async applyCancelledAmount(
    m: EntityManager,
    payment: PaymentEntity,
    amount: number,
    share?: VatParts,
  ): Promise<void> {
    payment.cancelledAmount += amount;
    if (share && storedParts(payment))
      Object.assign(payment, cancelledColumns(addParts(cancelledParts(payment), share)));
    const next = payment.cancelledAmount >= payment.amount ? 'CANCELLED' : 'PARTIALLY_CANCELLED';
    if (payment.cancelledAmount > payment.amount) {
      payment.needsAttention = true;
      payment.attentionReason = `Cancelled ${payment.cancelledAmount} KRW of a ${payment.amount} KRW payment`;
    } else if (!isAllowedTransition(payment.status, next, 'cancelled')) {
      // The gateway's record is the truth and is kept; a cancel of a payment not known as approved is for a person.
      payment.needsAttention = true;
      payment.attentionReason = `A cancel of ${amount} KRW was recorded while the payment was ${payment.status}`;
    }
    payment.status = next;
    const saved = await m.save(PaymentEntity, payment);
    await this.events.record(
      m,
      saved.status === 'CANCELLED' ? 'payment.cancelled' : 'payment.partially_cancelled',
      paymentView(saved, await this.cancellationsOf(m, payment.id)),
      saved.tenantId,
    );
    this.logger.log(
      `Payment ${payment.id} ${saved.status}: ${payment.cancelledAmount} of ${payment.amount} KRW cancelled`,
    );
  }

  /**
   * Records a cancel the gateway reports (transaction query, confirming a notification). Its tid
   * already recorded: nothing changes, so repeats apply once. One of ours whose answer was lost
   * (UNKNOWN) with that amount: it is that one. One of ours still awaiting its answer (PENDING) with
   * that amount: `deferred`, since that answer will name its own tid. Otherwise a cancel made
   * elsewhere (e.g. the gateway's admin console), recorded with source `gateway`.
   */
  async recordGatewayCancel(
    paymentId: string,
    cancel: { tid: string; amount: number; cancelledAt?: Date },
  ): Promise<'recorded' | 'deferred'> {
    try {
      const step = await this.uow.run(
        async (m): Promise<{ kind: 'recorded' | 'deferred' } | { kind: 'settle'; id: string }> => {
          // Lock first: concurrent reports of the same cancel serialise here and see each other's work.
          const payment = await this.lockPayment(m, paymentId);
          if (await m.findOneBy(CancellationEntity, { tid: cancel.tid })) return { kind: 'recorded' };
          if (await m.findOneBy(CancellationEntity, { paymentId, status: 'PENDING', amount: cancel.amount }))
            return { kind: 'deferred' };
          const lost = await m.findOne(CancellationEntity, {
            where: { paymentId, status: 'UNKNOWN', amount: cancel.amount },
            order: { createdAt: 'ASC' },
          });
          if (lost) return { kind: 'settle', id: lost.id };
          // A cancel of ours given up as never taken place that the gateway did after all (processed late).
          const late = await m.findOne(CancellationEntity, {
            where: { paymentId, status: 'FAILED', amount: cancel.amount, failureCode: NOT_AT_GATEWAY },
            order: { createdAt: 'ASC' },
          });
          if (late) return { kind: 'settle', id: late.id };
          // The gateway does not say its share of the split: taken in proportion, as a cancel of ours would be.
          const left = partsLeft(payment, await this.inFlight(m, paymentId));
          const vat = left && proportionalShares({ ...left }, cancel.amount);
          await m.insert(
            CancellationEntity,
            this.newCancellation(payment, {
              amount: cancel.amount,
              partial: cancel.amount < payment.amount - payment.cancelledAmount,
              reason: 'Cancelled at the gateway',
              source: 'gateway',
              idempotencyRef: null,
              settled: { tid: cancel.tid, cancelledAt: cancel.cancelledAt ?? new Date() },
              vat,
            }),
          );
          await this.applyCancelledAmount(m, payment, cancel.amount, vat);
          return { kind: 'recorded' };
        },
      );
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
  async markUnknown(cancellationId: string): Promise<void> {
    await this.uow.run((m) =>
      m.update(
        CancellationEntity,
        { id: cancellationId, status: 'PENDING' },
        { status: 'UNKNOWN', nextResolveAt: new Date(Date.now() + this.config.janitor.baseBackoffMs) },
      ),
    );
  }

  /** Releases the reservation of a cancel that certainly did not happen. */
  async fail(cancellationId: string, code: string, message: string): Promise<void> {
    await this.uow.run(async (m) => {
      const { paymentId } = await m.findOneByOrFail(CancellationEntity, { id: cancellationId });
      const payment = await this.lockPayment(m, paymentId);
      const cancellation = await m.findOneByOrFail(CancellationEntity, { id: cancellationId });
      if (cancellation.status !== 'PENDING' && cancellation.status !== 'UNKNOWN') return;
      payment.pendingCancelAmount -= cancellation.amount;
      if (cancellation.source === 'late_approval') {
        // The charge stays approved although the client was told it was not: a person must refund it.
        payment.needsAttention = true;
        payment.attentionReason = `Late approval: the automatic cancel was refused (${code}); refund it by hand`;
      }
      await m.save(PaymentEntity, payment);
      await m.update(
        CancellationEntity,
        { id: cancellationId },
        { status: 'FAILED', failureCode: code, failureMessage: message.slice(0, 300), nextResolveAt: null },
      );
    });
  }

  /**
   * Reserves the amount and records the cancel PENDING, in one transaction. A cancel already made
   * under the same Idempotency-Key is returned as it is (`send: false`), except one that provably
   * never left the service (connection refused), which is reserved and sent again as the same cancel.
   */
  async reserve(
    paymentId: string,
    tenantId: string,
    dto: CancelPaymentDto,
    idempotencyRef: string | null,
  ): Promise<
    | { send: true; payment: PaymentEntity; cancellation: CancellationEntity }
    | { send: false; cancellation: CancellationEntity }
  > {
    return this.uow.run(async (m) => {
      const payment = await this.lockPayment(m, paymentId, tenantId);
      const earlier = idempotencyRef ? await m.findOneBy(CancellationEntity, { idempotencyRef }) : null;
      if (earlier && (earlier.paymentId !== paymentId || (dto.amount !== undefined && dto.amount !== earlier.amount))) {
        throw new AppError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was first used for another cancel');
      }
      const resend = earlier?.status === 'FAILED' && NEVER_SENT_CANCEL_CODES.includes(earlier.failureCode ?? '');
      if (earlier && !resend) return { send: false as const, cancellation: earlier };

      const amount = this.checkCancellable(payment, earlier?.amount ?? dto.amount);
      // The split's share is reserved like the amount: cancels in flight hold theirs until they settle or fail.
      const vat = earlier
        ? storedParts(earlier)
        : cancelShare(
            dto,
            amount,
            partsLeft(payment, await this.inFlight(m, payment.id)),
            this.merchants.vatMode(payment.merchant),
          );
      const partial = !(amount === payment.amount - payment.cancelledAmount && payment.pendingCancelAmount === 0);
      payment.pendingCancelAmount += amount;
      await m.update(PaymentEntity, { id: payment.id }, { pendingCancelAmount: payment.pendingCancelAmount });
      if (earlier) {
        await m.update(
          CancellationEntity,
          { id: earlier.id },
          { status: 'PENDING', partial, failureCode: null, failureMessage: null, nextResolveAt: null },
        );
        return {
          send: true as const,
          payment,
          cancellation: { ...earlier, status: 'PENDING' as const, partial, failureCode: null, failureMessage: null },
        };
      }
      const cancellation = this.newCancellation(payment, {
        amount,
        partial,
        reason: dto.reason,
        source: 'api',
        idempotencyRef,
        vat,
      });
      await m.insert(CancellationEntity, cancellation);
      return { send: true as const, payment, cancellation };
    });
  }

  /** The amount a new cancel may take (all that is left when not given); a 422 naming `amount` otherwise. */
  private checkCancellable(payment: PaymentEntity, requested: number | undefined): number {
    if (payment.status !== 'APPROVED' && payment.status !== 'PARTIALLY_CANCELLED') {
      const resolving =
        payment.status === 'UNKNOWN' || payment.status === 'PENDING' ? ' (its outcome is still being resolved)' : '';
      throw new AppError(
        ErrorCode.PaymentNotCancellable,
        `Payment ${payment.id} is ${payment.status}; only an approved payment can be cancelled${resolving}`,
      );
    }
    const available = cancellableAmount(payment);
    const amount = requested ?? available;
    if (amount <= 0 || amount > available) {
      throw new AppError(
        ErrorCode.GatewayRefused,
        `amount ${amount} KRW is more than the ${available} KRW that can still be cancelled`,
        {
          code: '2032',
          errors: [{ field: 'amount', message: `amount must be at most ${available} KRW` }],
        },
      );
    }
    return amount;
  }

  private newCancellation(
    payment: PaymentEntity,
    c: {
      amount: number;
      partial: boolean;
      reason: string;
      source: CancellationSource;
      idempotencyRef: string | null;
      settled?: { tid: string; cancelledAt: Date };
      /** Its share of the payment's VAT split, when there is one. */
      vat?: VatParts;
    },
  ): CancellationEntity {
    // Millisecond precision on both databases: "oldest first" must hold for cancels in one second.
    const now = new Date();
    return this.cancellations.create({
      id: newId('can'),
      tenantId: payment.tenantId,
      paymentId: payment.id,
      ...partColumns(c.vat),
      tid: c.settled?.tid ?? null,
      amount: c.amount,
      partial: c.partial,
      reason: c.reason,
      status: c.settled ? 'SUCCEEDED' : 'PENDING',
      source: c.source,
      idempotencyRef: c.idempotencyRef,
      cancelledAt: c.settled?.cancelledAt ?? null,
      failureCode: null,
      failureMessage: null,
      resolveAttempts: 0,
      nextResolveAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** The payment's cancels still awaiting their answer: their amounts and shares are reserved. */
  private inFlight(m: EntityManager, paymentId: string): Promise<CancellationEntity[]> {
    return m.find(CancellationEntity, { where: { paymentId, status: In(['PENDING', 'UNKNOWN']) } });
  }

  cancellationsOf(m: EntityManager, paymentId: string): Promise<CancellationEntity[]> {
    return m.find(CancellationEntity, { where: { paymentId }, order: { createdAt: 'ASC' } });
  }

  /** The payment, locked; with a tenant, only that tenant's (another's is a 404, as an unknown one). */
  private async lockPayment(m: EntityManager, id: string, tenantId?: string): Promise<PaymentEntity> {
    const where = tenantId === undefined ? { id } : { id, tenantId };
    const payment = await m.findOne(PaymentEntity, { where, ...this.uow.lockMode });
    if (!payment) throw AppError.notFound('payment', id);
    return payment;
  }

  /** PENDING cancels older than `before`: their process died before the answer, which will never be read. */
  async markAbandonedUnknown(where: { paymentId?: string }, before: Date, now: Date): Promise<void> {
    await this.uow.run((m) =>
      m.update(
        CancellationEntity,
        { ...where, status: 'PENDING', createdAt: LessThan(before) },
        { status: 'UNKNOWN', nextResolveAt: now },
      ),
    );
  }

  /** The resolver stops asking about this cancel and hands its payment to a person. */
  async giveUp(cancellation: Pick<CancellationEntity, 'id' | 'paymentId'>, why: string): Promise<void> {
    await this.uow.run(async (m) => {
      await m.update(CancellationEntity, { id: cancellation.id }, { nextResolveAt: null });
      await m.update(
        PaymentEntity,
        { id: cancellation.paymentId },
        { needsAttention: true, attentionReason: `Cancel ${cancellation.id} ${why}`.slice(0, 300) },
      );
    });
  }

  /** Hands a payment to a person without stopping the resolver's questions about its cancel. */
  async flagPayment(paymentId: string, reason: string): Promise<void> {
    await this.uow.run((m) =>
      m.update(PaymentEntity, { id: paymentId }, { needsAttention: true, attentionReason: reason.slice(0, 300) }),
    );
  }
}
