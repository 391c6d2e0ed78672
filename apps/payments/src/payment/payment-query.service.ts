import { Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, LessThan, Not, Repository } from 'typeorm';
import type { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { AppError } from '../common/errors/app-error';
import { ListPaymentsQuery } from './dto/list-payments.query';
import { CancellationEntity } from './entities/cancellation.entity';
import { PaymentEntity } from './entities/payment.entity';
import { findRow } from '../database/row-statements';
import { cancellationView, paymentView, PaymentView } from './payment.view';

/** A payment as other modules read it: never written through this (PaymentStateService writes). */
export type PaymentRecord = Readonly<PaymentEntity>;

/** What a gateway notification needs of its payment (whose it is, whether it only confirms it): a few columns of a wide row. */
const GLANCE_COLUMNS = ['id', 'tenantId', 'orderId', 'tid', 'amount', 'status'] as const;
export type PaymentGlance = Pick<PaymentRecord, (typeof GLANCE_COLUMNS)[number]>;

/**
 * How every other module reads payments and cancellations (they register neither entity): lists
 * newest first, paged by an opaque keyset cursor (stable under concurrent inserts), and lookups.
 * The lookups read any tenant's rows, for background work and operators; the API reads a tenant's
 * own through PaymentService.get and `list` with the tenant.
 */
@Injectable()
export class PaymentQueryService {
  constructor(
    @InjectRepository(PaymentEntity, PAYMENTS_DATA_SOURCE) private readonly payments: Repository<PaymentEntity>,
    @InjectRepository(CancellationEntity, PAYMENTS_DATA_SOURCE)
    private readonly cancellations: Repository<CancellationEntity>,
  ) {}

  findById(id: string): Promise<PaymentRecord | null> {
    return this.payments.findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<PaymentRecord[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.payments.findBy({ id: In([...ids]) });
  }

  findByOrderId(orderId: string): Promise<PaymentRecord | null> {
    return findRow(this.payments.manager, PaymentEntity, { orderId });
  }

  /** The approval with this tid (a cancel's tid is not a payment's). */
  findByTid(tid: string): Promise<PaymentRecord | null> {
    return findRow(this.payments.manager, PaymentEntity, { tid });
  }

  /** {@link findByOrderId}, only the columns of a {@link PaymentGlance}: a notification's look, on every delivery. */
  glanceByOrderId(orderId: string): Promise<PaymentGlance | null> {
    return findRow(this.payments.manager, PaymentEntity, { orderId }, GLANCE_COLUMNS);
  }

  /** {@link findByTid}, only the columns of a {@link PaymentGlance}. */
  glanceByTid(tid: string): Promise<PaymentGlance | null> {
    return findRow(this.payments.manager, PaymentEntity, { tid }, GLANCE_COLUMNS);
  }

  /**
   * The payment a phone key's issuance made (§3.1.3): stored with the key, under the registration's
   * own order number (IssuancePaymentRecorder). A key without an order number has none.
   */
  async findIssuancePayment(key: Pick<BillingKeyEntity, 'id' | 'orderNo'>): Promise<PaymentRecord | null> {
    return key.orderNo ? this.payments.findOneBy({ billingKeyId: key.id, orderId: key.orderNo }) : null;
  }

  /** Whether a cancel with this tid is recorded (`succeeded`: and confirmed). */
  async hasCancel(tid: string, options: { succeeded?: boolean } = {}): Promise<boolean> {
    return (await this.cancellations.countBy(options.succeeded ? { tid, status: 'SUCCEEDED' } : { tid })) > 0;
  }

  /**
   * Whether the service itself gives the payment's money back: an approval of a charge it had
   * reported as not charged, cancelled in full (`late_approval`, PaymentStateService.approve), sent
   * or still to be sent. Such a payment paid for nothing, whatever its status says meanwhile.
   */
  async isRefundedAsLateApproval(payment: PaymentRecord): Promise<boolean> {
    if (payment.cancelledAmount + payment.pendingCancelAmount === 0) return false;
    const refunds = await this.cancellations.countBy({
      paymentId: payment.id,
      source: 'late_approval',
      status: Not('FAILED'),
    });
    return refunds > 0;
  }

  /** Whether one of the payment's own cancels of this amount still waits for the gateway's answer. */
  async hasCancelInFlight(paymentId: string, amount: number): Promise<boolean> {
    return (await this.cancellations.countBy({ paymentId, status: 'PENDING', amount })) > 0;
  }

  /**
   * One page, by id, of a merchant's payments touched in [from, to): created, approved, updated, or
   * with a cancel asked or made then (the daily reconciliation's set).
   */
  touchedBetween(merchant: string, from: Date, to: Date, afterId: string, limit: number): Promise<PaymentRecord[]> {
    const within = (column: string) => `(${column} >= :from AND ${column} < :to)`;
    return this.payments
      .createQueryBuilder('p')
      .where('p.merchant = :merchant', { merchant })
      .andWhere('p.id > :afterId', { afterId })
      .andWhere(
        new Brackets((w) =>
          w
            .where(within('p.created_at'), { from, to })
            .orWhere(within('p.approved_at'))
            .orWhere(within('p.updated_at'))
            .orWhere(
              `p.id IN (SELECT c.payment_id FROM cancellations c WHERE ${within('c.created_at')} OR ${within('c.cancelled_at')})`,
            ),
        ),
      )
      .orderBy('p.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * What a person should look at (the operations console's queue), oldest first: payments flagged
   * `needsAttention`, outcomes still UNKNOWN, charges PENDING since before `staleBefore`; and the
   * cancels whose outcome is UNKNOWN.
   */
  async needingAttention(
    staleBefore: Date,
    limit = 100,
  ): Promise<{ payments: PaymentView[]; cancels: ReturnType<typeof cancellationView>[] }> {
    const payments = await this.payments.find({
      where: [{ needsAttention: true }, { status: 'UNKNOWN' }, { status: 'PENDING', createdAt: LessThan(staleBefore) }],
      order: { createdAt: 'ASC' },
      take: limit,
    });
    const cancels = await this.cancellations.find({
      where: { status: 'UNKNOWN' },
      order: { createdAt: 'ASC' },
      take: limit,
    });
    return { payments: payments.map((p) => paymentView(p)), cancels: cancels.map(cancellationView) };
  }

  /**
   * `GET /v1/payments`: the tenant's payments only. Without a tenant, every tenant's: the
   * operations console's search, where operators see all of them.
   */
  async list(query: ListPaymentsQuery, tenantId?: string): Promise<{ data: PaymentView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const qb = this.payments.createQueryBuilder('p');
    if (tenantId !== undefined) qb.andWhere('p.tenant_id = :tenantId', { tenantId });
    if (query.orderId) qb.andWhere('p.order_id = :orderId', { orderId: query.orderId });
    if (query.customerId) qb.andWhere('p.customer_id = :customerId', { customerId: query.customerId });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.cursor) {
      const { createdAt, id } = decodeCursor(query.cursor);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('p.created_at < :createdAt', { createdAt })
            .orWhere('p.created_at = :createdAt AND p.id < :id', { createdAt, id }),
        ),
      );
    }
    const rows = await qb
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .take(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((p) => paymentView(p)),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }
}

function encodeCursor(p: PaymentEntity): string {
  return Buffer.from(JSON.stringify([p.createdAt.toISOString(), p.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw AppError.validation([{ field: 'cursor', message: 'cursor is not one this service issued' }]);
  }
}
