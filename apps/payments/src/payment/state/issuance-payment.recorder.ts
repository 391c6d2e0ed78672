import { Injectable } from '@nestjs/common';
import type { ChargeApproved } from '@app/paystory';
import { EntityManager, In } from 'typeorm';
import type { BillingKeyEntity } from '../../billing/entities/billing-key.entity';
import { newId } from '../../database/ids';
import { DomainEvents } from '../../events/domain-events';
import { PaymentEntity } from '../entities/payment.entity';
import { UNRESOLVED_STATUSES } from '../payment-status';
import { paymentView } from '../payment.view';
import { assertAllowedTransition } from './payment-transitions';

/**
 * Phone billing charges when the key is issued (guide §3.1.3): that payment is recorded as
 * APPROVED with the key, in the issuance's own transaction.
 */
@Injectable()
export class IssuancePaymentRecorder {
  constructor(private readonly events: DomainEvents) {}

  async record(
    m: EntityManager,
    key: BillingKeyEntity,
    approval: ChargeApproved,
    goodsName: string,
  ): Promise<PaymentEntity> {
    // The gateway's notification of this charge may have been reconciled first: adopt that payment
    // (recorded without knowing whose it was) into the key's tenant.
    const known = await m.findOneBy(PaymentEntity, { tid: approval.tid });
    if (known) {
      const owner = { tenantId: key.tenantId, billingKeyId: key.id, customerId: key.customerId };
      await m.update(PaymentEntity, { id: known.id }, owner);
      return { ...known, ...owner };
    }
    const orderId = approval.orderNo || key.orderNo;
    // A request that waited for this issuance too long recorded its order as UNKNOWN: this is its answer.
    const unresolved = orderId ? await m.findOneBy(PaymentEntity, { orderId, status: In(UNRESOLVED_STATUSES) }) : null;
    if (unresolved) {
      assertAllowedTransition(unresolved.status, 'APPROVED', 'approved');
      const approved = m.merge(PaymentEntity, unresolved, {
        tenantId: key.tenantId,
        billingKeyId: key.id,
        customerId: key.customerId,
        status: 'APPROVED',
        amount: approval.amount,
        tid: approval.tid,
        approvalNo: approval.approvalNo ?? null,
        approvedAt: approval.approvedAt ?? new Date(),
        nextResolveAt: null,
      });
      await m.save(PaymentEntity, approved);
      await this.events.record(m, 'payment.approved', paymentView(approved), approved.tenantId);
      return approved;
    }
    assertAllowedTransition('NONE', 'APPROVED', 'found_approved');
    const now = new Date();
    const payment = m.create(PaymentEntity, {
      id: newId('pay'),
      tenantId: key.tenantId,
      orderId: approval.orderNo || key.orderNo || newId('pay'),
      billingKeyId: key.id,
      customerId: key.customerId,
      customerRef: null,
      merchant: key.merchant,
      mid: key.mid,
      payMethod: key.payMethod,
      status: 'APPROVED',
      amount: approval.amount,
      cancelledAmount: 0,
      pendingCancelAmount: 0,
      installmentMonths: 0,
      goodsName,
      buyerName: key.buyerName,
      buyerTel: key.buyerTel,
      buyerEmail: key.buyerEmail,
      metadata: null,
      tid: approval.tid,
      approvalNo: approval.approvalNo ?? null,
      approvedAt: approval.approvedAt ?? now,
      cardMasked: approval.card.masked ?? null,
      cardIssuerCode: approval.card.issuerCode ?? null,
      cardIssuerName: approval.card.issuerName ?? null,
      cardAcquirerCode: approval.card.acquirerCode ?? null,
      cardType: approval.card.type ?? null,
      sentAt: now,
      resolveAttempts: 0,
      needsAttention: false,
      createdAt: now,
      updatedAt: now,
    });
    await m.insert(PaymentEntity, payment);
    await this.events.record(m, 'payment.approved', paymentView(payment), payment.tenantId);
    return payment;
  }

  /**
   * A phone issuance whose answer was lost: money may have moved, so its order is recorded as an
   * UNKNOWN payment that the resolver settles with the transaction query. Nothing when the order is
   * already recorded (its notification may have been reconciled first).
   */
  async recordUnknown(m: EntityManager, order: UnknownIssuanceOrder): Promise<void> {
    assertAllowedTransition('NONE', 'UNKNOWN', 'issuance_unknown');
    const now = new Date();
    await m
      .createQueryBuilder()
      .insert()
      .into(PaymentEntity)
      .orIgnore()
      .values({
        ...order,
        id: newId('pay'),
        billingKeyId: null,
        customerRef: null,
        payMethod: 'PHONE',
        status: 'UNKNOWN',
        cancelledAmount: 0,
        pendingCancelAmount: 0,
        installmentMonths: 0,
        metadata: null,
        sentAt: now,
        resolveAttempts: 0,
        nextResolveAt: now,
        needsAttention: false,
        createdAt: now,
      })
      .execute();
  }
}

/** What a lost phone issuance's order is recorded with. */
export type UnknownIssuanceOrder = Pick<
  PaymentEntity,
  | 'tenantId'
  | 'orderId'
  | 'customerId'
  | 'merchant'
  | 'mid'
  | 'amount'
  | 'goodsName'
  | 'buyerName'
  | 'buyerTel'
  | 'buyerEmail'
>;
