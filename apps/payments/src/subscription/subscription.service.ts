import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { isInIssuanceWindow } from '../billing/phone-billing-window';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { idempotencyRefOf } from '../common/ids/idempotency-ref';
import { newId } from '../database/ids';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainEvents } from '../events/domain-events';
import { PaymentQueryService, type PaymentRecord } from '../payment/payment-query.service';
import { checkChargeRules } from '../payment/charge-rules';
import { partColumns, storedParts } from '../payment/vat/payment-parts';
import { givenParts, sameParts } from '../payment/vat/vat-parts';
import { defaultAnchorDay, periodStart } from './calendar/billing-calendar';
import { CreateSubscriptionDto } from './dto/create-subscription.dto';
import { SubscriptionChargeEntity } from './entities/subscription-charge.entity';
import { SubscriptionEntity } from './entities/subscription.entity';
import {
  BILLABLE_SUBSCRIPTION_STATUSES,
  LIVE_SUBSCRIPTION_STATUSES,
  RESUMABLE_SUBSCRIPTION_STATUSES,
  SubscriptionStatus,
} from './subscription-status';
import { checkPhoneBillingRule, nextPhoneCharge } from './phone-billing-rule';
import { subscriptionChargeView, subscriptionView, SubscriptionView } from './subscription.view';

/** How far in the past a subscription may start (clock skew, a sign-up completed late); older starts would bill past periods. */
const MAX_BACKDATING_MS = 24 * 3_600_000;

/** Subscriptions: create, read, pause, resume, cancel. Charging them is the scheduler's (SubscriptionBillingService). */
@Injectable()
export class SubscriptionService implements OnModuleInit {
  private readonly logger = new Logger(SubscriptionService.name);

  constructor(
    @InjectRepository(SubscriptionEntity, PAYMENTS_DATA_SOURCE)
    private readonly subscriptions: Repository<SubscriptionEntity>,
    @InjectRepository(SubscriptionChargeEntity, PAYMENTS_DATA_SOURCE)
    private readonly charges: Repository<SubscriptionChargeEntity>,
    private readonly payments: PaymentQueryService,
    private readonly billing: BillingService,
    private readonly events: DomainEvents,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    // Deleting a billing key stops the subscriptions on it, in the deletion's own transaction.
    this.events.onRecorded('billing_key.deleted', (m, data) => this.stopForDeletedKey(m, String(data.id)));
  }

  /**
   * Creates a subscription of the tenant's, on one of its billing keys (another tenant's is 404).
   * Under an Idempotency-Key the subscription carries the key's reference (unique, same
   * transaction): a retry of the key answers that subscription, whatever happened to the first
   * answer; the key with another body is 409 (the Idempotency-Key's scope already names the tenant).
   */
  async create(
    dto: CreateSubscriptionDto,
    tenantId: string,
    now = new Date(),
    idempotency?: { scope: string; key: string },
  ): Promise<SubscriptionView> {
    const idempotencyRef = idempotency ? idempotencyRefOf(idempotency.scope, idempotency.key) : null;
    for (let tries = 1; ; tries++) {
      const earlier = idempotencyRef ? await this.subscriptions.findOneBy({ idempotencyRef, tenantId }) : null;
      if (earlier) return answerForRetry(earlier, dto);
      const { subscription, firstPeriodPaidBy } = await this.plan(dto, tenantId, now, idempotencyRef);
      try {
        await this.uow.run(async (m) => {
          await m.insert(SubscriptionEntity, subscription);
          await this.events.record(m, 'subscription.created', subscriptionView(subscription), tenantId);
          if (firstPeriodPaidBy) await this.recordIssuanceAsFirstPeriod(m, subscription, firstPeriodPaidBy, now);
        });
      } catch (error) {
        // A twin request under the same key, or another subscription taking the same issuance payment, won a race: look again.
        if (isUniqueViolation(error) && tries < 3) continue;
        throw error;
      }
      this.logger.log(
        `Subscription ${subscription.id} created, next charge at ${subscription.nextChargeAt?.toISOString()}`,
      );
      return subscriptionView(await this.require(subscription.id, tenantId));
    }
  }

  /** Validates the request and builds the subscription; on a phone key, finds whether issuance already paid its first period. */
  private async plan(
    dto: CreateSubscriptionDto,
    tenantId: string,
    now: Date,
    idempotencyRef: string | null,
  ): Promise<{ subscription: SubscriptionEntity; firstPeriodPaidBy?: PaymentRecord }> {
    const key = await this.billing.requireActive(dto.billingKeyId, tenantId);
    if (key.customerId !== dto.customerId) {
      throw AppError.validation([
        { field: 'billingKeyId', message: `billing key ${key.id} belongs to another customer` },
      ]);
    }
    const startAt = dto.startAt ?? now;
    if (startAt.getTime() < now.getTime() - MAX_BACKDATING_MS) {
      throw AppError.validation([
        { field: 'startAt', message: 'startAt may be at most 24 hours in the past: past periods are not charged' },
      ]);
    }
    const anchorDay = dto.anchorDay ?? defaultAnchorDay(dto.interval, startAt);
    const errors = checkChargeRules({ payMethod: key.payMethod, amount: dto.amount, installmentMonths: 0 });
    if (dto.interval === 'weekly' && anchorDay > 7)
      errors.push({
        field: 'anchorDay',
        message: 'anchorDay of a weekly subscription is an ISO weekday, 1 (Monday) to 7 (Sunday)',
      });
    const issuance = key.payMethod === 'PHONE' ? await this.payments.findIssuancePayment(key) : null;
    if (key.payMethod === 'PHONE')
      errors.push(
        ...checkPhoneBillingRule(
          { interval: dto.interval, anchorDay, amount: dto.amount, startAt },
          key,
          issuance?.amount,
        ),
      );
    if (errors.length > 0) throw AppError.validation(errors);
    // Checked against the amount as a charge's are; every period is charged with it.
    const vat = givenParts(dto, dto.amount);

    const subscription = this.subscriptions.create({
      id: newId('sub'),
      tenantId,
      customerId: dto.customerId,
      billingKeyId: key.id,
      amount: dto.amount,
      goodsName: dto.goodsName,
      ...partColumns(vat),
      interval: dto.interval,
      anchorDay,
      startAt,
      status: 'ACTIVE',
      statusReason: null,
      periodIndex: 0,
      attempt: 0,
      nextChargeAt: startAt,
      cancelledAt: null,
      idempotencyRef,
      createdAt: now,
      updatedAt: now,
    });
    if (!issuance || !(await this.paysFirstPeriod(issuance, key, startAt))) return { subscription };
    // The periods that start inside the issuance's own window were paid at issuance: the next charge is next month's.
    while (isInIssuanceWindow(key.issuedAt, periodStart(subscription, subscription.periodIndex)))
      subscription.periodIndex++;
    subscription.nextChargeAt = periodStart(subscription, subscription.periodIndex);
    return { subscription, firstPeriodPaidBy: issuance };
  }

  /**
   * Phone billing charges the first month at issuance (§3.1.3). That payment is the first period of
   * the first subscription on the key that starts in the issuance's window, if it is still whole
   * (not refunded in part or in full); a later subscription, or one starting later, pays its own.
   */
  private async paysFirstPeriod(issuance: PaymentRecord, key: BillingKeyEntity, startAt: Date): Promise<boolean> {
    if (issuance.status !== 'APPROVED' || !isInIssuanceWindow(key.issuedAt, startAt)) return false;
    return !(await this.charges.existsBy({ orderId: issuance.orderId }));
  }

  /** Period 0 is the issuance payment: its charge row (the order's unique index lets one subscription take it), and the event. */
  private async recordIssuanceAsFirstPeriod(
    m: EntityManager,
    s: SubscriptionEntity,
    payment: PaymentRecord,
    now: Date,
  ): Promise<void> {
    await m.insert(SubscriptionChargeEntity, {
      id: newId('chg'),
      tenantId: s.tenantId,
      subscriptionId: s.id,
      periodIndex: 0,
      attempt: 0,
      periodStart: s.startAt,
      periodEnd: periodStart(s, s.periodIndex),
      orderId: payment.orderId,
      paymentId: payment.id,
      status: 'APPROVED',
      failureCode: null,
      claimedUntil: now,
    });
    await this.events.record(
      m,
      'subscription.charged',
      { ...subscriptionView(s), paymentId: payment.id, period: 0, amount: payment.amount },
      s.tenantId,
    );
  }

  async get(id: string, tenantId: string): Promise<SubscriptionView> {
    return subscriptionView(await this.require(id, tenantId));
  }

  async listByCustomer(customerId: string, tenantId: string): Promise<SubscriptionView[]> {
    return (await this.subscriptions.find({ where: { tenantId, customerId }, order: { createdAt: 'DESC' } })).map(
      subscriptionView,
    );
  }

  /** Every charge attempt, per period, with its payment. */
  async chargesOf(id: string, tenantId: string) {
    return this.chargesView(await this.require(id, tenantId));
  }

  /** The operations console's read: any tenant's subscription, with its tenant and its charges. */
  async inspect(id: string) {
    const s = await this.subscriptions.findOneBy({ id });
    if (!s) throw AppError.notFound('subscription', id);
    return { subscription: subscriptionView(s), tenantId: s.tenantId, charges: (await this.chargesView(s)).data };
  }

  private async chargesView(s: SubscriptionEntity) {
    const charges = await this.charges.find({
      where: { subscriptionId: s.id },
      order: { periodIndex: 'ASC', attempt: 'ASC' },
    });
    const paymentIds = charges.map((c) => c.paymentId).filter((p): p is string => !!p);
    const payments = await this.payments.findByIds(paymentIds);
    return {
      data: charges.map((c) =>
        subscriptionChargeView(
          c,
          payments.find((p) => p.id === c.paymentId),
        ),
      ),
    };
  }

  pause(id: string, tenantId: string): Promise<SubscriptionView> {
    return this.change(id, tenantId, BILLABLE_SUBSCRIPTION_STATUSES, (s) => {
      s.status = 'PAUSED';
      s.statusReason = 'paused';
      s.nextChargeAt = null;
    });
  }

  /**
   * PAUSED → ACTIVE: charging continues with the period that is current now (periods missed while
   * paused are skipped, not charged). UNPAID → ACTIVE: the unpaid period is tried again at once.
   * On a phone key a period is charged inside its own window only (§3.3.4): when that window has
   * closed, charging goes on with the next period, on its start.
   */
  resume(id: string, tenantId: string, now = new Date()): Promise<SubscriptionView> {
    return this.change(id, tenantId, RESUMABLE_SUBSCRIPTION_STATUSES, async (s, m) => {
      const key = await m.findOneBy(BillingKeyEntity, { id: s.billingKeyId });
      const stoppedIn = s.periodIndex;
      if (key?.payMethod === 'PHONE') {
        const next = nextPhoneCharge(s, key.issuedAt, now);
        s.periodIndex = next.periodIndex;
        s.nextChargeAt = next.at;
      } else if (s.status === 'PAUSED') {
        while (periodStart(s, s.periodIndex + 1) <= now) s.periodIndex++;
        s.nextChargeAt = new Date(Math.max(now.getTime(), periodStart(s, s.periodIndex).getTime()));
      } else {
        s.nextChargeAt = now;
      }
      // Attempts count within a period: the same period goes on with its next unused attempt (a decline already moved `attempt` on).
      if (s.periodIndex !== stoppedIn) s.attempt = 0;
      s.status = 'ACTIVE';
      s.statusReason = null;
    });
  }

  cancel(id: string, tenantId: string, now = new Date()): Promise<SubscriptionView> {
    return this.change(id, tenantId, LIVE_SUBSCRIPTION_STATUSES, (s) => {
      s.status = 'CANCELLED';
      s.statusReason = 'cancelled';
      s.nextChargeAt = null;
      s.cancelledAt = now;
    });
  }

  private async stopForDeletedKey(m: EntityManager, billingKeyId: string): Promise<void> {
    const live = await m.find(SubscriptionEntity, { where: { billingKeyId, status: In(LIVE_SUBSCRIPTION_STATUSES) } });
    for (const s of live) {
      Object.assign(s, {
        status: 'CANCELLED',
        statusReason: 'billing_key_deleted',
        nextChargeAt: null,
        cancelledAt: new Date(),
      });
      await m.save(SubscriptionEntity, s);
      await this.events.record(m, 'subscription.cancelled', subscriptionView(s), s.tenantId);
    }
  }

  private async change(
    id: string,
    tenantId: string,
    from: readonly SubscriptionStatus[],
    mutate: (s: SubscriptionEntity, m: EntityManager) => void | Promise<void>,
  ): Promise<SubscriptionView> {
    return this.uow.run(async (m) => {
      const s = await m.findOne(SubscriptionEntity, { where: { id, tenantId }, ...this.uow.lockMode });
      if (!s) throw AppError.notFound('subscription', id);
      if (!from.includes(s.status))
        throw new AppError(
          ErrorCode.InvalidState,
          `Subscription ${id} is ${s.status}; this needs ${from.join(' or ')}`,
        );
      await mutate(s, m);
      const saved = await m.save(SubscriptionEntity, s);
      if (saved.status === 'CANCELLED')
        await this.events.record(m, 'subscription.cancelled', subscriptionView(saved), saved.tenantId);
      return subscriptionView(saved);
    });
  }

  /** The tenant's subscription; another tenant's is as unknown as an id never issued. */
  private async require(id: string, tenantId: string): Promise<SubscriptionEntity> {
    const s = await this.subscriptions.findOneBy({ id, tenantId });
    if (!s) throw AppError.notFound('subscription', id);
    return s;
  }
}

/** A retry under the Idempotency-Key that created `earlier`: the same request is answered with it, another is 409. */
function answerForRetry(earlier: SubscriptionEntity, dto: CreateSubscriptionDto): SubscriptionView {
  const same =
    earlier.customerId === dto.customerId &&
    earlier.billingKeyId === dto.billingKeyId &&
    earlier.amount === dto.amount &&
    earlier.goodsName === dto.goodsName &&
    sameParts(storedParts(earlier), givenParts(dto, dto.amount)) &&
    earlier.interval === dto.interval &&
    (dto.anchorDay === undefined || dto.anchorDay === earlier.anchorDay) &&
    (dto.startAt === undefined || dto.startAt.getTime() === earlier.startAt.getTime());
  if (!same)
    throw new AppError(
      ErrorCode.IdempotencyKeyReused,
      `This Idempotency-Key created subscription ${earlier.id} with another request body`,
    );
  return subscriptionView(earlier);
}
