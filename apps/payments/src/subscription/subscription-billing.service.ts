import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { describeResult } from '@app/paystory';
import { createHash } from 'node:crypto';
import { EntityManager, In, IsNull, LessThan, Not, Repository } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { isInWindowOf, phoneRetryAt } from '../billing/phone-billing-window';
import { faultPoint } from '../common/faults/fault-points';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { newId } from '../database/ids';
import { GuardedWrites, type Guard } from '../database/guarded-writes';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainEvents } from '../events/domain-events';
import { InstanceLiveness } from '../instances/instance-liveness';
import { PaymentQueryService, type PaymentRecord } from '../payment/payment-query.service';
import { PaymentStateService } from '../payment/state/payment-state.service';
import { NEVER_CHARGED_CODES } from '../payment/failure-codes';
import { APPROVED_AT_GATEWAY_STATUSES } from '../payment/payment-status';
import { PaymentResolverService } from '../payment/resolution/payment-resolver.service';
import { PaymentService } from '../payment/payment.service';
import { storedParts } from '../payment/vat/payment-parts';
import { periodStart } from './calendar/billing-calendar';
import { claimHeldSql, takeOverClaim } from './claim-takeover';
import { ClaimFeed, drainFeed } from './claim-feed';
import { SubscriptionChargeEntity } from './entities/subscription-charge.entity';
import { SubscriptionEntity } from './entities/subscription.entity';
import { nextPhoneCharge } from './phone-billing-rule';
import { RateLimiter } from '../common/scheduling/rate-limiter';
import { GatewayRateLimit } from '../gateway/rate-limit/gateway-rate-limit';
import { BILLABLE_SUBSCRIPTION_STATUSES, billableStatusSql } from './subscription-status';
import { subscriptionView } from './subscription.view';

const DAY_MS = 86_400_000;

/**
 * Charges due subscription periods exactly once, whatever number of instances run it.
 *
 * Each attempt at a period is claimed by inserting its unique (subscription, period, attempt)
 * row; the attempt's orderId is derived from those three, and a payment's orderId is unique too,
 * so a re-run, a crashed instance's successor or a racing instance can only ever find the one
 * payment, never make a second. Due work is read in batches, charged with bounded concurrency
 * under a per-instance rate limit.
 */
@Injectable()
export class SubscriptionBillingService {
  private readonly logger = new Logger(SubscriptionBillingService.name);
  private readonly limiter: RateLimiter;
  /** mayCharge's query, written once: the query builder cost more CPU than the database on this per-charge path. */
  private readonly mayChargeSql: string;
  private readonly claimedUntilColumn: ColumnMetadata;

  constructor(
    @InjectRepository(SubscriptionEntity, PAYMENTS_DATA_SOURCE)
    private readonly subscriptions: Repository<SubscriptionEntity>,
    @InjectRepository(SubscriptionChargeEntity, PAYMENTS_DATA_SOURCE)
    private readonly charges: Repository<SubscriptionChargeEntity>,
    private readonly payments: PaymentQueryService,
    private readonly paymentState: PaymentStateService,
    private readonly paymentService: PaymentService,
    private readonly resolver: PaymentResolverService,
    private readonly events: DomainEvents,
    private readonly uow: UnitOfWork,
    private readonly liveness: InstanceLiveness,
    private readonly gatewayRate: GatewayRateLimit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limiter = new RateLimiter(config.subscriptions.rateLimitPerSecond);
    const { driver } = charges.manager.connection;
    const param = (index: number) => driver.createParameter(`p${index}`, index);
    this.mayChargeSql =
      'SELECT 1 FROM subscription_charges c JOIN subscriptions s' +
      ' ON s.id = c.subscription_id AND s.period_index = c.period_index AND s.attempt = c.attempt' +
      ` WHERE c.id = ${param(0)} AND c.owner_instance_id = ${param(1)} AND c.claimed_until = ${param(2)}` +
      ` AND ${billableStatusSql('s.status')}`;
    this.claimedUntilColumn = charges.metadata.findColumnWithPropertyName('claimedUntil')!;
  }

  /**
   * One run: every period due at `now`. Returns how many charge attempts this instance drove. Due
   * work is claimed a batch at a time while `concurrency` charges stay in flight ({@link ClaimFeed}).
   * Once `stop` is aborted (shutdown) no batch is claimed and no claimed attempt is sent any more:
   * its claim is given back, so that another instance charges it at once.
   */
  async runDue(now = new Date(), stop?: AbortSignal): Promise<number> {
    const { batchSize, concurrency } = this.config.subscriptions;
    let driven = 0;
    let after: { at: Date; id: string } | undefined;
    let lastBatch = false;
    const claimNext = async (): Promise<ClaimedAttempt[] | undefined> => {
      if (lastBatch || stop?.aborted) return undefined;
      // Self-fencing: without a recent heartbeat this instance may look dead to the others, who take its claims over.
      if (!(await this.liveness.aliveNow())) {
        this.logger.warn(
          `No heartbeat written for ${this.liveness.fenceAfterMs} ms: this instance claims no subscription periods until one is`,
        );
        return undefined;
      }
      const { scanned, claimed } = await this.claimBatch(now, batchSize, after);
      lastBatch = scanned.length < batchSize;
      if (scanned.length === 0) return undefined;
      const last = scanned[scanned.length - 1];
      after = { at: last.nextChargeAt ?? now, id: last.id };
      driven += claimed.length;
      return claimed;
    };
    await drainFeed(new ClaimFeed(claimNext, concurrency), concurrency, (attempt) =>
      this.drive(attempt, now, stop).catch((error: Error) =>
        this.logger.error(`Subscription ${attempt.subscription.id} charge failed: ${error.name}: ${error.message}`),
      ),
    );
    return driven;
  }

  /**
   * Reads the next batch of due subscriptions (keyset after the previous one) and claims their
   * current attempts, in one transaction. Attempts whose claim another live instance holds are
   * left out of the read. On PostgreSQL the rows are read `FOR UPDATE SKIP LOCKED`: a batch
   * another instance is claiming is skipped, not waited for; the unique claim row settles whatever
   * race is left. The batch's billing keys are read with it.
   */
  private claimBatch(
    now: Date,
    size: number,
    after?: { at: Date; id: string },
  ): Promise<{ scanned: SubscriptionEntity[]; claimed: ClaimedAttempt[] }> {
    return this.uow.run(async (m) => {
      const qb = m
        .createQueryBuilder(SubscriptionEntity, 's')
        // The due queue's partial index, in its order: each batch a short index range, however many are due.
        .where(billableStatusSql('s.status'))
        .andWhere('s.next_charge_at <= :now', { now })
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM subscription_charges held WHERE held.subscription_id = s.id AND held.period_index = s.period_index AND held.attempt = s.attempt AND ${claimHeldSql(this.liveness, 'held')})`,
        );
      // A row-value keyset is an index range on both databases (an OR of the two cases was a scan from the start).
      if (after) qb.andWhere('(s.next_charge_at, s.id) > (:at, :id)', { at: after.at, id: after.id });
      qb.orderBy('s.next_charge_at', 'ASC').addOrderBy('s.id', 'ASC').limit(size);
      if (this.uow.isPostgres) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const scanned = await qb.getMany();
      const claimed: ClaimedAttempt[] = [];
      for (let from = 0; from < scanned.length; from += CLAIMS_PER_STATEMENT)
        claimed.push(...(await this.claim(m, scanned.slice(from, from + CLAIMS_PER_STATEMENT), now)));
      const keyIds = [...new Set(claimed.map((c) => c.subscription.billingKeyId))];
      const keys = keyIds.length > 0 ? await m.findBy(BillingKeyEntity, { id: In(keyIds) }) : [];
      for (const c of claimed) c.key = keys.find((k) => k.id === c.subscription.billingKeyId);
      return { scanned, claimed };
    });
  }

  /**
   * Owns the current attempt of each subscription: inserts their claim rows, owned by this instance
   * (one statement; a row that exists is left alone, so a PostgreSQL transaction is not aborted),
   * then reads them back. An attempt whose row was there already is taken over when its owner is
   * dead or its lease ran out, or re-checked when its payment was unknown (`takeOverClaim`); one
   * another instance owns is left out.
   */
  private async claim(m: EntityManager, batch: SubscriptionEntity[], now: Date): Promise<ClaimedAttempt[]> {
    const claimedUntil = new Date(now.getTime() + this.config.subscriptions.claimLeaseMs);
    const fresh = batch.map((s) =>
      m.create(SubscriptionChargeEntity, {
        id: newId('chg'),
        tenantId: s.tenantId,
        subscriptionId: s.id,
        periodIndex: s.periodIndex,
        attempt: s.attempt,
        periodStart: periodStart(s, s.periodIndex),
        periodEnd: periodStart(s, s.periodIndex + 1),
        orderId: attemptOrderId(s.id, s.periodIndex, s.attempt),
        paymentId: null,
        status: 'CLAIMED',
        failureCode: null,
        claimedUntil,
        ownerInstanceId: this.liveness.id,
      }),
    );
    await m
      .createQueryBuilder()
      .insert()
      .into(SubscriptionChargeEntity)
      .values(fresh)
      .orIgnore()
      .updateEntity(false)
      .execute();
    const rows = await m.findBy(
      SubscriptionChargeEntity,
      batch.map((s) => ({ subscriptionId: s.id, periodIndex: s.periodIndex, attempt: s.attempt })),
    );
    const claimed: ClaimedAttempt[] = [];
    for (const [i, subscription] of batch.entries()) {
      const existing = rows.find(
        (r) =>
          r.subscriptionId === subscription.id &&
          r.periodIndex === subscription.periodIndex &&
          r.attempt === subscription.attempt,
      );
      if (!existing) continue;
      if (existing.id === fresh[i].id) claimed.push({ subscription, charge: existing, takenOver: false });
      else if (await takeOverClaim(m, this.liveness, existing, now, claimedUntil))
        claimed.push({
          subscription,
          charge: { ...existing, claimedUntil, ownerInstanceId: this.liveness.id },
          takenOver: true,
          previousOwner: existing.ownerInstanceId,
        });
    }
    return claimed;
  }

  /**
   * Charges the claimed attempt once (or finds its payment) and moves the subscription on. A
   * freshly inserted claim has no payment to look for: should its order exist after all,
   * `chargeOnce` finds it and charges nothing. A taken-over attempt's payment still PENDING was left
   * by a sender that is gone (a live one records an outcome before its drive ends): it is asked
   * about at the gateway now (`resolveAbandoned`). An UNKNOWN one keeps the janitor's schedule.
   */
  private async drive(
    { subscription: s, charge, takenOver, previousOwner, key }: ClaimedAttempt,
    now: Date,
    stop?: AbortSignal,
  ) {
    faultPoint('subscription.after-claim', s.id);
    let payment = takenOver ? await this.payments.findByOrderId(charge.orderId) : null;
    if (payment?.status === 'PENDING') payment = await this.resolveAbandoned(payment, previousOwner);
    // A charge that never took place is sent again as the same order, never as a new attempt: the gateway approves an order once.
    if (!payment || neverCharged(payment)) {
      // The subscription's own tenant's key only: its payment takes that tenant.
      if (!key || key.tenantId !== s.tenantId || key.status !== 'ACTIVE') return this.stop(s, 'billing_key_deleted');
      // A phone key's period is charged inside its own monthly window only (§3.3.4), whatever made this run late.
      if (key.payMethod === 'PHONE' && !isInWindowOf(key.issuedAt, charge.periodStart, now))
        return this.passMissedPhoneWindow(s.id, charge, key, now);
      // Shutting down: nothing was sent under this claim, so it may go back (checked again after the rate wait).
      if (stop?.aborted) return this.releaseAtShutdown(s.id, charge);
      await this.limiter.acquire();
      // The gateway slot is taken after the PENDING row, as late as can be; but no row is written into a window this
      // process found full: a row a killed instance left unsent waits JANITOR_STALE_AFTER_MS to be sent again.
      await this.gatewayRate.untilOpen(key.merchant);
      if (stop?.aborted) return this.releaseAtShutdown(s.id, charge);
      // The batch was read a while ago: a subscription cancelled or paused since (its key deleted) must not be charged.
      // Self-fencing, the last thing before the gateway: the claim is still this instance's, and its
      // heartbeat recent enough that no other instance can have taken it for dead and the claim over.
      const may = await this.mayCharge(s, charge);
      if (may === 'release') return this.release(charge);
      if (may === 'lost') return;
      if (this.liveness.fenced) return this.releaseAtShutdown(s.id, charge, 'this instance has no recent heartbeat');
      // An approval pays the period in its own transaction when the subscription is as the batch read it.
      let paidBy: { approved: PaymentRecord; paid: Guard } | undefined;
      payment = (
        await this.paymentService.chargeOnce(key, {
          orderId: charge.orderId,
          amount: s.amount,
          goodsName: s.goodsName,
          installmentMonths: 0,
          vat: storedParts(s),
          alsoOnApproval: (writes, approved) => {
            const paid = this.paidIfUnchanged(writes, s, charge, approved, now);
            paidBy = paid && { approved, paid };
          },
        })
      ).payment;
      // The very row the approval returned: its transaction, period paid included, committed.
      if (paidBy?.approved === payment && paidBy.paid.held) return;
    }
    faultPoint('subscription.after-charge', s.id);
    await this.applyOutcome(s, charge, payment, now);
  }

  /**
   * Its sender's payment as the gateway's query shows it now; as it stands when the query cannot be
   * made (the janitor asks later). Sent by the claim's previous owner: when that instance is dead,
   * an order the gateway does not know is sent again at once (PaymentResolverService).
   */
  private async resolveAbandoned(payment: PaymentRecord, previousOwner?: string | null): Promise<PaymentRecord> {
    try {
      const senderDead = !!previousOwner && !(await this.liveness.isAlive(previousOwner));
      return await this.resolver.resolveAbandoned(payment.id, senderDead);
    } catch (error) {
      this.logger.warn(
        `Payment ${payment.id} left unresolved by its sender: asking the gateway failed (${(error as Error).name})`,
      );
      return payment;
    }
  }

  /**
   * Whether to charge: the claim is still this instance's (same lease) and its subscription still
   * owes this attempt, in one query; when not, which of the two failed: a subscription that no
   * longer owes gives its claim back, a claim lost to another instance is left to it.
   */
  private async mayCharge(
    s: SubscriptionEntity,
    charge: SubscriptionChargeEntity,
  ): Promise<'yes' | 'release' | 'lost'> {
    const { driver } = this.charges.manager.connection;
    const claimedUntil = driver.preparePersistentValue(charge.claimedUntil, this.claimedUntilColumn);
    const rows = (await this.charges.query(this.mayChargeSql, [
      charge.id,
      this.liveness.id,
      claimedUntil,
    ])) as unknown[];
    if (rows.length === 1) return 'yes';
    return (await this.stillOwes(s, charge)) ? 'lost' : 'release';
  }

  private async stillOwes(s: SubscriptionEntity, charge: SubscriptionChargeEntity): Promise<boolean> {
    const current = await this.subscriptions.findOneBy({ id: s.id });
    return (
      !!current &&
      BILLABLE_SUBSCRIPTION_STATUSES.includes(current.status) &&
      current.periodIndex === charge.periodIndex &&
      current.attempt === charge.attempt
    );
  }

  /**
   * Gives a claim back without charging (its subscription changed meanwhile): the row goes, so the
   * charges list shows no attempt that never took place; a resumed subscription claims it anew, and
   * its orderId, derived from period and attempt, is the same.
   */
  private async release(charge: SubscriptionChargeEntity): Promise<void> {
    await this.uow.run((m) =>
      m.delete(SubscriptionChargeEntity, {
        id: charge.id,
        status: 'CLAIMED',
        paymentId: IsNull(),
        ownerInstanceId: this.liveness.id,
      }),
    );
  }

  /**
   * Gives back a claim nothing was sent under (shutting down, or fenced): the row goes (see
   * `release`), or an UNKNOWN attempt's lease ends now. Only while the claim is still this instance's.
   */
  private async releaseAtShutdown(
    subscriptionId: string,
    charge: SubscriptionChargeEntity,
    why = 'the instance is shutting down',
  ): Promise<void> {
    await this.release(charge);
    await this.uow.run((m) =>
      m.update(
        SubscriptionChargeEntity,
        { id: charge.id, claimedUntil: charge.claimedUntil, ownerInstanceId: this.liveness.id },
        { claimedUntil: new Date() },
      ),
    );
    this.logger.log(`Subscription ${subscriptionId}: claim given back unsent, ${why}`);
  }

  /**
   * The period's phone billing window closed before this attempt ran (the scheduler was down): it
   * is not charged in a later month's window. The claim goes back and charging goes on with the
   * period current now (nextPhoneCharge).
   */
  private async passMissedPhoneWindow(
    subscriptionId: string,
    charge: SubscriptionChargeEntity,
    key: BillingKeyEntity,
    now: Date,
  ): Promise<void> {
    await this.release(charge);
    await this.uow.run(async (m) => {
      const s = await m.findOne(SubscriptionEntity, { where: { id: subscriptionId }, ...this.uow.lockMode });
      if (
        !s ||
        s.periodIndex !== charge.periodIndex ||
        s.attempt !== charge.attempt ||
        !BILLABLE_SUBSCRIPTION_STATUSES.includes(s.status)
      )
        return;
      const next = nextPhoneCharge(s, key.issuedAt, now);
      Object.assign(s, {
        periodIndex: next.periodIndex,
        attempt: 0,
        status: 'ACTIVE',
        statusReason: null,
        nextChargeAt: next.at,
      });
      await writeBack(m, s);
    });
    this.logger.warn(
      `Subscription ${subscriptionId}: period ${charge.periodIndex} was not charged inside its phone billing window (§3.3.4) and is skipped`,
    );
  }

  /**
   * Records the attempt's outcome on its subscription: `read` is the subscription as the batch
   * read it. An approval of a subscription unchanged since then moves it on with one conditional
   * UPDATE (`paidIfUnchanged`); anything else reads it again, locked, and decides from that.
   */
  private async applyOutcome(
    read: SubscriptionEntity,
    charge: SubscriptionChargeEntity,
    payment: PaymentRecord,
    now: Date,
  ): Promise<void> {
    const retryDays = this.config.subscriptions.retryDays;
    // Approved at the gateway, but refunded by the service as a late approval of a charge it had
    // reported declined (the decline may have reached this attempt first, or not): the period is
    // not paid, and it is dunned as the decline it was reported as.
    const refunded =
      APPROVED_AT_GATEWAY_STATUSES.includes(payment.status) && (await this.payments.isRefundedAsLateApproval(payment));
    const paid = APPROVED_AT_GATEWAY_STATUSES.includes(payment.status) && !refunded;
    await this.uow.run(async (m) => {
      if (paid && (await this.paidIfUnchangedIn(m, read, charge, payment, now))) return;
      const s = await m.findOne(SubscriptionEntity, { where: { id: read.id }, ...this.uow.lockMode });
      const current =
        s &&
        s.periodIndex === charge.periodIndex &&
        s.attempt === charge.attempt &&
        BILLABLE_SUBSCRIPTION_STATUSES.includes(s.status);
      const chargeUpdate: Partial<SubscriptionChargeEntity> = { paymentId: payment.id };

      if (paid) {
        chargeUpdate.status = 'APPROVED';
        if (s && current) {
          Object.assign(s, paidPeriodChanges(s, now));
          await writeBack(m, s);
          await this.recordCharged(m, s, charge, payment);
        }
      } else if (refunded || (payment.status === 'DECLINED' && !neverCharged(payment))) {
        chargeUpdate.status = 'DECLINED';
        chargeUpdate.failureCode = payment.failureCode;
        if (s && current) await this.dun(m, s, payment, retryDays, now);
      } else {
        // Not known yet, or never taken place (its order is sent again): the period waits for this attempt, never charged as a new one.
        chargeUpdate.status = 'UNKNOWN';
        chargeUpdate.failureCode = payment.failureCode;
        if (s && current) {
          s.nextChargeAt = new Date(now.getTime() + this.config.janitor.intervalMs);
          await writeBack(m, s);
        }
      }
      // The claim stays owned until its lease ends while the payment is unresolved; a settled attempt, or one to send again, frees it.
      if (chargeUpdate.status !== 'UNKNOWN' || neverCharged(payment)) chargeUpdate.claimedUntil = now;
      await settleAttempt(m, charge, chargeUpdate);
    });
  }

  /**
   * The approved period paid on the subscription as the batch read it, if nothing changed it since,
   * added to `writes`: one UPDATE guarded on its version (every write moves it), in place of a
   * locked read and a write, its event, and the attempt settled. Undefined, with nothing added, when
   * it no longer owes this attempt; the guard does not hold when it changed.
   */
  private paidIfUnchanged(
    writes: GuardedWrites,
    read: SubscriptionEntity,
    charge: SubscriptionChargeEntity,
    payment: PaymentRecord,
    now: Date,
  ): Guard | undefined {
    const owes =
      read.periodIndex === charge.periodIndex &&
      read.attempt === charge.attempt &&
      BILLABLE_SUBSCRIPTION_STATUSES.includes(read.status);
    if (!owes) return undefined;
    const { guard: paid, saved } = writes.guardVersion(SubscriptionEntity, read, paidPeriodChanges(read, now));
    this.events.recordIn(writes, 'subscription.charged', chargedEvent(saved, charge, payment), saved.tenantId);
    writes.update(
      SubscriptionChargeEntity,
      { paymentId: payment.id, status: 'APPROVED', claimedUntil: now },
      { id: charge.id, status: SETTLEABLE_ATTEMPT_STATUSES },
    );
    return paid;
  }

  /** {@link paidIfUnchanged} in the transaction of `m`: whether the period was paid so. */
  private async paidIfUnchangedIn(
    m: EntityManager,
    read: SubscriptionEntity,
    charge: SubscriptionChargeEntity,
    payment: PaymentRecord,
    now: Date,
  ): Promise<boolean> {
    const writes = new GuardedWrites();
    const paid = this.paidIfUnchanged(writes, read, charge, payment, now);
    if (!paid) return false;
    await this.uow.writeIn(m, writes);
    return paid.held;
  }

  private recordCharged(
    m: EntityManager,
    s: SubscriptionEntity,
    charge: SubscriptionChargeEntity,
    payment: PaymentRecord,
  ): Promise<void> {
    return this.events.record(m, 'subscription.charged', chargedEvent(s, charge, payment), s.tenantId);
  }

  /**
   * A declined period: PAST_DUE and tried again after each of `retryDays`; UNPAID when they run out
   * or at once on a hard decline (lost, stolen, expired, closed card…, by the result catalogue).
   * A phone key's retry falls inside the period's monthly window (§3.3.4): one due after the window
   * closes is moved back to its last day, and when none is left the period goes UNPAID.
   * A refusal of our own request or merchant set-up (`merchant_error`) is no decline: see `hold`.
   */
  private async dun(
    m: EntityManager,
    s: SubscriptionEntity,
    payment: PaymentRecord,
    retryDays: readonly number[],
    now: Date,
  ): Promise<void> {
    const code = payment.failureCode ?? '';
    // Retries used = the period's declines before this attempt; attempts that never took place do not count.
    const retriesUsed = await m.countBy(SubscriptionChargeEntity, {
      subscriptionId: s.id,
      periodIndex: s.periodIndex,
      attempt: LessThan(s.attempt),
      status: 'DECLINED',
      failureCode: Not(In(NEVER_CHARGED_CODES)),
    });
    s.attempt++;
    const result = describeResult(code);
    if (result.category === 'merchant_error') return this.hold(m, s, payment);
    const exhausted = retriesUsed >= retryDays.length;
    const retryAt =
      result.hardDecline || exhausted
        ? undefined
        : await this.retryAt(m, s, now, new Date(now.getTime() + retryDays[retriesUsed] * DAY_MS));
    if (!retryAt) {
      const why = result.hardDecline
        ? 'hard decline, not retried'
        : exhausted
          ? 'retries exhausted'
          : 'no retry left inside the phone billing window';
      Object.assign(s, { status: 'UNPAID', statusReason: `declined ${code} (${why})`, nextChargeAt: null });
      await writeBack(m, s);
      await this.events.record(m, 'subscription.unpaid', { ...subscriptionView(s), failureCode: code }, s.tenantId);
      return;
    }
    const firstDecline = s.status !== 'PAST_DUE';
    Object.assign(s, { status: 'PAST_DUE', statusReason: `declined ${code}`, nextChargeAt: retryAt });
    await writeBack(m, s);
    if (firstDecline)
      await this.events.record(m, 'subscription.past_due', { ...subscriptionView(s), failureCode: code }, s.tenantId);
  }

  /** When the retry wanted at `wanted` runs: then, or for a phone key inside the period's window (undefined when none is left). */
  private async retryAt(m: EntityManager, s: SubscriptionEntity, now: Date, wanted: Date): Promise<Date | undefined> {
    const key = await m.findOneBy(BillingKeyEntity, { id: s.billingKeyId });
    return key?.payMethod === 'PHONE' ? phoneRetryAt(key.issuedAt, periodStart(s, s.periodIndex), now, wanted) : wanted;
  }

  /**
   * The gateway refused the request itself (`merchant_error`: merchant set-up, a field or hash it
   * rejects): no retry can pass and the customer's card is not at fault, so there is no dunning and
   * no event telling anyone the customer did not pay. The subscription is PAUSED with a `held:`
   * reason and the payment flagged for a person, who fixes the cause and resumes it.
   */
  private async hold(m: EntityManager, s: SubscriptionEntity, payment: PaymentRecord): Promise<void> {
    const code = payment.failureCode ?? '';
    Object.assign(s, {
      status: 'PAUSED',
      statusReason: `held: the gateway refused our request (${code}, merchant_error); resume once fixed`,
      nextChargeAt: null,
    });
    await writeBack(m, s);
    await this.paymentState.flagForAttention(
      m,
      payment.id,
      `Subscription ${s.id} held: the gateway refused our request (${code}); fix it and resume the subscription`,
    );
    this.logger.warn(
      `Subscription ${s.id} held: the gateway refused its charge as a merchant error (${code}); a person must look`,
    );
  }

  private async stop(s: SubscriptionEntity, reason: string): Promise<void> {
    await this.uow.run(async (m) => {
      const changed = await m.update(
        SubscriptionEntity,
        { id: s.id, status: In(BILLABLE_SUBSCRIPTION_STATUSES) },
        { status: 'CANCELLED', statusReason: reason, nextChargeAt: null, cancelledAt: new Date() },
      );
      if (changed.affected === 1)
        await this.events.record(
          m,
          'subscription.cancelled',
          subscriptionView({ ...s, status: 'CANCELLED', statusReason: reason }),
          s.tenantId,
        );
    });
  }
}

interface ClaimedAttempt {
  subscription: SubscriptionEntity;
  charge: SubscriptionChargeEntity;
  /** The claim row was there before (another instance's, or an attempt re-checked), not inserted by this claim. */
  takenOver: boolean;
  /** Whose claim it was before it was taken over (null: none recorded), the sender of any payment it left. */
  previousOwner?: string | null;
  /** The subscription's billing key, read with the batch; undefined when it is gone. */
  key?: BillingKeyEntity;
}

/** Claim rows inserted by one statement: bounds its parameters on SQLite whatever SUBSCRIPTION_BATCH_SIZE is. */
const CLAIMS_PER_STATEMENT = 100;

/**
 * A paid period moves the subscription to the next one that has not ended: periods that ended while
 * this one was unpaid (or before a backdated start) are skipped, never charged in a row.
 */
function paidPeriodChanges(
  s: SubscriptionEntity,
  now: Date,
): Pick<SubscriptionEntity, 'periodIndex' | 'attempt' | 'status' | 'statusReason' | 'nextChargeAt'> {
  let periodIndex = s.periodIndex + 1;
  while (periodStart(s, periodIndex + 1) <= now) periodIndex++;
  return { periodIndex, attempt: 0, status: 'ACTIVE', statusReason: null, nextChargeAt: periodStart(s, periodIndex) };
}

/** An attempt's outcome is written while it is still being charged or unresolved. */
const SETTLEABLE_ATTEMPT_STATUSES: SubscriptionChargeEntity['status'][] = ['CLAIMED', 'UNKNOWN'];

/**
 * The attempt's row takes its outcome. A settled attempt stays settled: another instance that took
 * over an UNKNOWN attempt and read its payment earlier must not undo it.
 */
async function settleAttempt(
  m: EntityManager,
  charge: SubscriptionChargeEntity,
  outcome: Partial<SubscriptionChargeEntity>,
): Promise<void> {
  await m.update(SubscriptionChargeEntity, { id: charge.id, status: In(SETTLEABLE_ATTEMPT_STATUSES) }, outcome);
}

/** The data of `subscription.charged`: the subscription as the charge left it, and the payment. */
function chargedEvent(s: SubscriptionEntity, charge: SubscriptionChargeEntity, payment: PaymentRecord) {
  return { ...subscriptionView(s), paymentId: payment.id, period: charge.periodIndex, amount: payment.amount };
}

/** Writes what billing changes of a subscription with one UPDATE (`save` would read the row first); its version goes up. */
async function writeBack(m: EntityManager, s: SubscriptionEntity): Promise<void> {
  s.updatedAt = new Date();
  const { periodIndex, attempt, status, statusReason, nextChargeAt, updatedAt } = s;
  await m.update(
    SubscriptionEntity,
    { id: s.id },
    { periodIndex, attempt, status, statusReason, nextChargeAt, updatedAt },
  );
}

/** Declined without taking place (unreachable, unknown to the gateway): its order may be sent again. */
function neverCharged(payment: PaymentRecord): boolean {
  return payment.status === 'DECLINED' && NEVER_CHARGED_CODES.includes(payment.failureCode ?? '');
}

/** Deterministic: the same attempt of the same period is always the same order at the gateway (≤ 40 bytes). */
export function attemptOrderId(subscriptionId: string, periodIndex: number, attempt: number): string {
  const digest = createHash('sha256').update(`${subscriptionId}:${periodIndex}:${attempt}`).digest('hex').slice(0, 24);
  return `s${digest}p${periodIndex}a${attempt}`;
}
