import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChargeApproved } from '@app/paystory';
import { EntityManager, In } from 'typeorm';
import { CancelService } from '../cancel/cancel.service';
import { CancellationStateService } from './cancellation-state.service';
import { AppError } from '../../common/errors/app-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { UnitOfWork } from '../../database/unit-of-work';
import { isUniqueViolation } from '../../database/unique-violation';
import { GuardedWrites, type Guard } from '../../database/guarded-writes';
import { asInserted } from '../../database/row-statements';
import { updateReturning } from '../../database/update-returning';
import { DomainEvents } from '../../events/domain-events';
import { PaymentEntity } from '../entities/payment.entity';
import { NEVER_CHARGED_CODES } from '../failure-codes';
import { PaymentStatus, UNRESOLVED_STATUSES } from '../payment-status';
import { paymentView } from '../payment.view';
import { assertAllowedTransition, isAllowedTransition, type PaymentCause } from './payment-transitions';
import { cancelledColumns, partColumns } from '../vat/payment-parts';

/** Where a transition starts from, and what else its transaction writes. */
export interface TransitionOptions {
  /**
   * The row as the caller last wrote or read it (e.g. the PENDING row just inserted): the change is
   * made by one conditional UPDATE on its version, with no read first. A row changed since is read
   * again, under its lock, and judged as it now is.
   */
  known?: PaymentEntity;
  /**
   * Written with the transition, if the row moves (e.g. the request's idempotency answer): added to
   * its writes after the row's own and its event. `saved` is the row as the transition leaves it.
   */
  alsoWrite?: (writes: GuardedWrites, from: PaymentStatus, saved: PaymentEntity) => void;
}

/** Work a transition from some states must do under the row's lock, with reads (see `approve`). */
type UnderLock = (from: PaymentStatus) => ((m: EntityManager, saved: PaymentEntity) => Promise<void>) | undefined;

export interface PaymentFailure {
  code: string;
  message: string;
  category: string;
  /**
   * Set when the decline may not be its order's last word: an earlier request of the order went
   * unanswered and the gateway may still process it late (approve it after this decline). The
   * resolver asks the gateway again from then on, and records a late approval it finds.
   */
  checkAgainAt?: Date;
}

/**
 * The payment state machine: the one writer of a payment row's existence, status, tid and failure,
 * whoever learnt the news (the charge's own answer, the resolver's transaction query, a gateway
 * notification, a registration). Every change is one of `PAYMENT_TRANSITIONS` (from, to, cause),
 * made in one transaction with its event, so two sources racing over the same charge change it
 * once. The cancels' effect on the balance is CancelService's, checked against the same table.
 */
@Injectable()
export class PaymentStateService {
  private readonly logger = new Logger(PaymentStateService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly cancels: CancelService,
    private readonly cancellations: CancellationStateService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records an approval. One of a charge already reported as not charged (DECLINED: to the client,
   * to a subscription, in an event) is a late approval: kept, the customer would pay for what they
   * were told failed, and may have paid again under another order. So it is flagged and, unless
   * LATE_APPROVAL_AUTO_CANCEL is false, cancelled in full at the gateway: the cancel is reserved in
   * the approval's own transaction (a crash leaves it to the resolver) and sent once that commits.
   */
  async approve(paymentId: string, approval: ChargeApproved, options: TransitionOptions = {}): Promise<PaymentEntity> {
    let lateApprovalCancelId: string | undefined;
    const lateApprovalCancel: UnderLock = (from) =>
      from === 'DECLINED' && this.config.janitor.lateApprovalAutoCancel
        ? async (m, saved) => {
            lateApprovalCancelId = (await this.cancellations.reserveLateApprovalCancel(m, saved)).id;
          }
        : undefined;
    const approved = await this.transition(
      paymentId,
      'APPROVED',
      'approved',
      (p) => this.applyApproval(p, approval),
      options,
      lateApprovalCancel,
    );
    if (!lateApprovalCancelId) return approved;
    await this.cancels
      .sendReserved(lateApprovalCancelId)
      .catch((error: Error) =>
        this.logger.error(`Late approval cancel ${lateApprovalCancelId} not sent (${error.name}); the resolver will`),
      );
    return this.uow.dataSource.manager.findOneByOrFail(PaymentEntity, { id: paymentId });
  }

  private applyApproval(p: PaymentEntity, approval: ChargeApproved): void {
    const wasDeclined = p.status === 'DECLINED';
    // A record without a tid (the query may list one so) leaves it unknown: such a payment is cancelled by order number.
    p.tid = approval.tid || null;
    p.approvalNo = approval.approvalNo ?? null;
    p.approvedAt = approval.approvedAt ?? new Date();
    p.cardMasked = approval.card.masked ?? p.cardMasked;
    p.cardIssuerCode = approval.card.issuerCode ?? p.cardIssuerCode;
    p.cardIssuerName = approval.card.issuerName ?? p.cardIssuerName;
    p.cardAcquirerCode = approval.card.acquirerCode ?? p.cardAcquirerCode;
    p.cardType = approval.card.type ?? p.cardType;
    p.failureCode = null;
    p.failureMessage = null;
    p.failureCategory = null;
    p.nextResolveAt = null;
    clearUnresolvedFlag(p);
    if (approval.amount !== p.amount) {
      // The gateway approved another amount than we asked: keep its truth, and have a person look.
      p.needsAttention = true;
      p.attentionReason = `Gateway approved ${approval.amount} KRW for a charge of ${p.amount} KRW`;
      p.amount = approval.amount;
      // The split described the amount asked for, not this one: it is dropped rather than kept wrong.
      Object.assign(p, partColumns(undefined), cancelledColumns(undefined));
    }
    if (wasDeclined) {
      // Reported as not charged, then found approved: whatever was charged again meanwhile (a subscription retry) may be a double payment.
      p.needsAttention = true;
      p.attentionReason = this.config.janitor.lateApprovalAutoCancel
        ? 'Approved at the gateway after it was reported as not charged: cancelled automatically'
        : 'Approved at the gateway after it was recorded as declined: check for a second charge of the same purchase';
    }
  }

  decline(paymentId: string, failure: PaymentFailure, options: TransitionOptions = {}): Promise<PaymentEntity> {
    return this.transition(
      paymentId,
      'DECLINED',
      'declined',
      (p) => {
        p.failureCode = failure.code;
        p.failureMessage = failure.message.slice(0, 300);
        p.failureCategory = failure.category;
        p.nextResolveAt = failure.checkAgainAt ?? null;
        clearUnresolvedFlag(p);
        if (failure.category === 'merchant_error') {
          // Our request or merchant set-up is wrong: no retry can pass, a person must fix it.
          p.needsAttention = true;
          p.attentionReason = `The gateway refused the request itself (${failure.code}): check the merchant set-up`;
        }
      },
      options,
    );
  }

  markUnknown(paymentId: string, firstCheckAt: Date, options: TransitionOptions = {}): Promise<PaymentEntity> {
    return this.transition(
      paymentId,
      'UNKNOWN',
      'answer_lost',
      (p) => {
        p.nextResolveAt = firstCheckAt;
      },
      options,
    );
  }

  /** The resolver could not learn the truth: schedule another look, or hand it to a person. */
  async postpone(paymentId: string, nextResolveAt: Date | null, attentionReason?: string): Promise<void> {
    await this.uow.run((m) =>
      m.update(
        PaymentEntity,
        { id: paymentId },
        attentionReason
          ? { nextResolveAt: null, needsAttention: true, attentionReason: attentionReason.slice(0, 300) }
          : { nextResolveAt },
      ),
    );
  }

  /**
   * Commits a charge's row, PENDING, before the gateway is called; false when its orderId is taken
   * (then nothing is written, `claimFirst`'s writes included). Written without reading it back:
   * `payment` is the row as stored, version 1, for a later {@link TransitionOptions.known}.
   * `claimFirst` adds what goes in before the row, or not at all (e.g. the request's
   * Idempotency-Key, claimed with the row): alone, the row is one statement, as it is with a claim
   * on PostgreSQL.
   */
  async insertPending(payment: PaymentEntity, claimFirst?: (writes: GuardedWrites) => void): Promise<boolean> {
    assertAllowedTransition('NONE', 'PENDING', 'charge_requested');
    payment.status = 'PENDING';
    asInserted(this.uow.dataSource.manager, PaymentEntity, payment);
    const writes = new GuardedWrites();
    claimFirst?.(writes);
    writes.insert(PaymentEntity, payment);
    try {
      await this.uow.runWrites(writes);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Takes back the row of a request that never left the service (the library refused it). */
  async withdraw(paymentId: string): Promise<void> {
    assertAllowedTransition('PENDING', 'NONE', 'withdrawn');
    await this.uow.run((m) => m.delete(PaymentEntity, { id: paymentId, status: 'PENDING' }));
  }

  /**
   * A charge declined as never charged (connection refused, or an order the gateway did not know)
   * goes back to PENDING to be sent again as the same order, by a conditional update that only one
   * retry wins. Undefined when it was declined for another reason, or another retry won.
   * `senderInstanceId`: the instance retrying it, for an API charge (PaymentEntity.senderInstanceId).
   */
  async retryNeverCharged(payment: PaymentEntity, senderInstanceId?: string): Promise<PaymentEntity | undefined> {
    const code = payment.failureCode ?? '';
    if (payment.status !== 'DECLINED' || !NEVER_CHARGED_CODES.includes(code)) return undefined;
    assertAllowedTransition('DECLINED', 'PENDING', 'retried');
    const [revived] = await this.uow.run((m) =>
      updateReturning(
        m,
        PaymentEntity,
        // Its sender owns it again: a watch of the decline (PaymentFailure.checkAgainAt) ends with it.
        {
          status: 'PENDING',
          failureCode: null,
          failureMessage: null,
          failureCategory: null,
          sentAt: new Date(),
          senderInstanceId: senderInstanceId ?? null,
          nextResolveAt: null,
        },
        { id: payment.id, status: 'DECLINED', failureCode: code },
      ),
    );
    return revived;
  }

  /** Stamps an unresolved charge as sent again now (the stale window counts from here); false once it is resolved. */
  async markResent(paymentId: string): Promise<boolean> {
    const sent = await this.uow.run((m) =>
      m.update(PaymentEntity, { id: paymentId, status: In(UNRESOLVED_STATUSES) }, { sentAt: new Date() }),
    );
    return sent.affected === 1;
  }

  /**
   * A payment the gateway approved that this service never saw (made elsewhere, or its row lost),
   * found by the transaction query of its order: recorded APPROVED. The existing one when another
   * instance recorded it first.
   */
  async recordFoundApproved(payment: PaymentEntity): Promise<PaymentEntity> {
    assertAllowedTransition('NONE', 'APPROVED', 'found_approved');
    try {
      await this.uow.run(async (m) => {
        await m.insert(PaymentEntity, { ...payment, status: 'APPROVED' });
        await this.events.record(m, 'payment.approved', paymentView(payment), payment.tenantId);
      });
      this.logger.log(
        `Recorded payment ${payment.id} for order ${payment.orderId}, approved at the gateway but never seen here`,
      );
      return payment;
    } catch (error) {
      if (isUniqueViolation(error))
        return this.uow.dataSource.manager.findOneByOrFail(PaymentEntity, { orderId: payment.orderId });
      throw error;
    }
  }

  /** Raises a payment for a person, in the caller's transaction (e.g. a subscription held because the gateway refused our request). */
  async flagForAttention(m: EntityManager, paymentId: string, reason: string): Promise<void> {
    await m.update(
      PaymentEntity,
      { id: paymentId, needsAttention: false },
      { needsAttention: true, attentionReason: reason.slice(0, 300) },
    );
  }

  /**
   * Applies `mutate` and moves to `to` if the state machine allows it from the current state;
   * otherwise leaves the row untouched and returns it as it is (someone else got there first).
   * From a row the caller knows (see {@link TransitionOptions.known}) the change is one set of
   * guarded writes on its version, with no read (one statement on PostgreSQL); when the row has
   * moved on since, or without one, the row is read under its lock and the change made from it.
   */
  private async transition(
    paymentId: string,
    to: PaymentStatus,
    cause: PaymentCause,
    mutate: (p: PaymentEntity) => void,
    options: TransitionOptions = {},
    underLock?: UnderLock,
  ): Promise<PaymentEntity> {
    const mayMove = (p: PaymentEntity) => p.status !== to && isAllowedTransition(p.status, to, cause);
    const { known } = options;
    if (known && mayMove(known) && !underLock?.(known.status)) {
      const { writes, moved, saved } = this.transitionWrites(known, to, mutate, options);
      await this.uow.runWrites(writes);
      if (moved.held) return this.logged(saved, known.status);
    }
    return this.uow.run(async (m) => {
      const stored = await this.load(m, paymentId);
      if (!mayMove(stored)) return stored;
      const { writes, moved, saved } = this.transitionWrites(stored, to, mutate, options);
      await this.uow.writeIn(m, writes);
      // Locked (PostgreSQL) or alone in the database (SQLite's write lock): it cannot have changed.
      if (!moved.held) throw new Error(`Payment ${paymentId} changed under its row lock`);
      await underLock?.(stored.status)?.(m, saved);
      return this.logged(saved, stored.status);
    });
  }

  /**
   * The writes of a transition from `current`: the row's changes on its version (the guard), its
   * event, and the caller's; and the row as they leave it.
   */
  private transitionWrites(
    current: PaymentEntity,
    to: PaymentStatus,
    mutate: (p: PaymentEntity) => void,
    options: TransitionOptions,
  ): { writes: GuardedWrites; moved: Guard; saved: PaymentEntity } {
    const next = Object.assign(new PaymentEntity(), current);
    mutate(next);
    next.status = to;
    const writes = new GuardedWrites();
    const { guard: moved, saved } = writes.guardVersion(PaymentEntity, current, changedColumns(current, next));
    this.events.recordIn(writes, eventFor(to), paymentView(saved), saved.tenantId);
    options.alsoWrite?.(writes, current.status, saved);
    return { writes, moved, saved };
  }

  private logged(saved: PaymentEntity, from: PaymentStatus): PaymentEntity {
    this.logger.log(`Payment ${saved.id} ${from} -> ${saved.status}`);
    return saved;
  }

  private async load(m: EntityManager, id: string): Promise<PaymentEntity> {
    const payment = await m.findOne(PaymentEntity, { where: { id }, ...this.uow.lockMode });
    if (!payment) throw AppError.notFound('payment', id);
    return payment;
  }
}

/** The columns `next` changes of `current` (never the version or update date, which a guarded change moves itself). */
function changedColumns(current: PaymentEntity, next: PaymentEntity): Partial<PaymentEntity> {
  const changes: Partial<PaymentEntity> = {};
  for (const name of Object.keys(next) as (keyof PaymentEntity)[]) {
    if (name === 'version' || name === 'updatedAt' || sameValue(current[name], next[name])) continue;
    Object.assign(changes, { [name]: next[name] });
  }
  return changes;
}

/** Null and unset are one (a column not set at insert is NULL); dates by their instant. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}

/** The outcome is known now: a flag raised because it was not (see `postpone`) no longer asks anything of a person. */
function clearUnresolvedFlag(p: PaymentEntity): void {
  p.needsAttention = false;
  p.attentionReason = null;
}

function eventFor(status: PaymentStatus) {
  switch (status) {
    case 'APPROVED':
      return 'payment.approved' as const;
    case 'DECLINED':
      return 'payment.declined' as const;
    case 'UNKNOWN':
      return 'payment.unknown' as const;
    case 'CANCELLED':
      return 'payment.cancelled' as const;
    default:
      return 'payment.partially_cancelled' as const;
  }
}
