import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { newId } from '../database/ids';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainEvents } from '../events/domain-events';
import { PaymentEntity } from '../payment/entities/payment.entity';
import { checkChargeRules } from '../payment/charge-rules';
import { defaultAnchorDay, periodStart } from './calendar/billing-calendar';
import { CreateSubscriptionDto } from './dto/create-subscription.dto';
import { SubscriptionChargeEntity } from './entities/subscription-charge.entity';
import { SubscriptionEntity, SubscriptionStatus } from './entities/subscription.entity';
import { checkPhoneBillingRule } from './phone-billing-rule';
import { subscriptionChargeView, subscriptionView, SubscriptionView } from './subscription.view';

/** How far in the past a subscription may start (clock skew, a sign-up completed late); older starts would bill past periods. */
const MAX_BACKDATING_MS = 24 * 3_600_000;

/** Subscriptions: create, read, pause, resume, cancel. Charging them is the scheduler's (SubscriptionBillingService). */
@Injectable()
export class SubscriptionService implements OnModuleInit {
  private readonly logger = new Logger(SubscriptionService.name);

  constructor(
    @InjectRepository(SubscriptionEntity) private readonly subscriptions: Repository<SubscriptionEntity>,
    @InjectRepository(SubscriptionChargeEntity) private readonly charges: Repository<SubscriptionChargeEntity>,
    @InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>,
    private readonly billing: BillingService,
    private readonly events: DomainEvents,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    // Deleting a billing key stops the subscriptions on it, in the deletion's own transaction.
    this.events.onRecorded('billing_key.deleted', (m, data) => this.stopForDeletedKey(m, String(data.id)));
  }

  async create(dto: CreateSubscriptionDto, now = new Date()): Promise<SubscriptionView> {
    const key = await this.billing.requireActive(dto.billingKeyId);
    if (key.customerId !== dto.customerId) {
      throw AppError.validation([{ field: 'billingKeyId', message: `billing key ${key.id} belongs to another customer` }]);
    }
    const startAt = dto.startAt ?? now;
    if (startAt.getTime() < now.getTime() - MAX_BACKDATING_MS) {
      throw AppError.validation([{ field: 'startAt', message: 'startAt may be at most 24 hours in the past: past periods are not charged' }]);
    }
    const anchorDay = dto.anchorDay ?? defaultAnchorDay(dto.interval, startAt);
    const errors = checkChargeRules({ payMethod: key.payMethod, amount: dto.amount, installmentMonths: 0 });
    if (dto.interval === 'weekly' && anchorDay > 7) errors.push({ field: 'anchorDay', message: 'anchorDay of a weekly subscription is an ISO weekday, 1 (Monday) to 7 (Sunday)' });
    if (key.payMethod === 'PHONE') {
      const issuancePayment = await this.payments.findOne({ where: { billingKeyId: key.id, status: In(['APPROVED', 'PARTIALLY_CANCELLED', 'CANCELLED']) }, order: { createdAt: 'ASC' } });
      errors.push(...checkPhoneBillingRule({ interval: dto.interval, anchorDay, amount: dto.amount, startAt }, key, issuancePayment?.amount));
    }
    if (errors.length > 0) throw AppError.validation(errors);

    const subscription = this.subscriptions.create({
      id: newId('sub'),
      customerId: dto.customerId,
      billingKeyId: key.id,
      amount: dto.amount,
      goodsName: dto.goodsName,
      interval: dto.interval,
      anchorDay,
      startAt,
      status: 'ACTIVE',
      statusReason: null,
      periodIndex: 0,
      attempt: 0,
      nextChargeAt: startAt,
      cancelledAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.uow.run(async (m) => {
      await m.insert(SubscriptionEntity, subscription);
      await this.events.record(m, 'subscription.created', subscriptionView(subscription));
    });
    this.logger.log(`Subscription ${subscription.id} created, first charge at ${startAt.toISOString()}`);
    return subscriptionView(await this.require(subscription.id));
  }

  async get(id: string): Promise<SubscriptionView> {
    return subscriptionView(await this.require(id));
  }

  async listByCustomer(customerId: string): Promise<SubscriptionView[]> {
    return (await this.subscriptions.find({ where: { customerId }, order: { createdAt: 'DESC' } })).map(subscriptionView);
  }

  /** Every charge attempt, per period, with its payment. */
  async chargesOf(id: string) {
    await this.require(id);
    const charges = await this.charges.find({ where: { subscriptionId: id }, order: { periodIndex: 'ASC', attempt: 'ASC' } });
    const paymentIds = charges.map((c) => c.paymentId).filter((p): p is string => !!p);
    const payments = paymentIds.length ? await this.payments.findBy({ id: In(paymentIds) }) : [];
    return { data: charges.map((c) => subscriptionChargeView(c, payments.find((p) => p.id === c.paymentId))) };
  }

  pause(id: string): Promise<SubscriptionView> {
    return this.change(id, ['ACTIVE', 'PAST_DUE'], (s) => {
      s.status = 'PAUSED';
      s.statusReason = 'paused';
      s.nextChargeAt = null;
    });
  }

  /**
   * PAUSED → ACTIVE: charging continues with the period that is current now (periods missed while
   * paused are skipped, not charged). UNPAID → ACTIVE: the unpaid period is tried again at once.
   */
  resume(id: string, now = new Date()): Promise<SubscriptionView> {
    return this.change(id, ['PAUSED', 'UNPAID'], (s) => {
      if (s.status === 'PAUSED') {
        const pausedIn = s.periodIndex;
        while (periodStart(s, s.periodIndex + 1) <= now) s.periodIndex++;
        // Attempts count within a period: the same period goes on with its next unused attempt.
        if (s.periodIndex !== pausedIn) s.attempt = 0;
        s.nextChargeAt = new Date(Math.max(now.getTime(), periodStart(s, s.periodIndex).getTime()));
      } else {
        // The decline that made it UNPAID already moved `attempt` on to the next, unused attempt.
        s.nextChargeAt = now;
      }
      s.status = 'ACTIVE';
      s.statusReason = null;
    });
  }

  cancel(id: string, now = new Date()): Promise<SubscriptionView> {
    return this.change(id, ['ACTIVE', 'PAST_DUE', 'UNPAID', 'PAUSED'], (s) => {
      s.status = 'CANCELLED';
      s.statusReason = 'cancelled';
      s.nextChargeAt = null;
      s.cancelledAt = now;
    });
  }

  private async stopForDeletedKey(m: EntityManager, billingKeyId: string): Promise<void> {
    const live = await m.find(SubscriptionEntity, { where: { billingKeyId, status: In(['ACTIVE', 'PAST_DUE', 'UNPAID', 'PAUSED']) } });
    for (const s of live) {
      Object.assign(s, { status: 'CANCELLED', statusReason: 'billing_key_deleted', nextChargeAt: null, cancelledAt: new Date() });
      await m.save(SubscriptionEntity, s);
      await this.events.record(m, 'subscription.cancelled', subscriptionView(s));
    }
  }

  private async change(id: string, from: SubscriptionStatus[], mutate: (s: SubscriptionEntity) => void): Promise<SubscriptionView> {
    return this.uow.run(async (m) => {
      const s = await m.findOne(SubscriptionEntity, { where: { id }, ...this.uow.lockMode });
      if (!s) throw AppError.notFound('subscription', id);
      if (!from.includes(s.status)) throw new AppError(ErrorCode.InvalidState, `Subscription ${id} is ${s.status}; this needs ${from.join(' or ')}`);
      mutate(s);
      const saved = await m.save(SubscriptionEntity, s);
      if (saved.status === 'CANCELLED') await this.events.record(m, 'subscription.cancelled', subscriptionView(saved));
      return subscriptionView(saved);
    });
  }

  private async require(id: string): Promise<SubscriptionEntity> {
    const s = await this.subscriptions.findOneBy({ id });
    if (!s) throw AppError.notFound('subscription', id);
    return s;
  }
}
