import { Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { PaystoryClient, TransactionRecord, isCancelSuccess, isChargeApproval } from '@app/paystory';
import { Repository } from 'typeorm';
import { MerchantDirectory } from '../../gateway/merchant-directory';
import { GatewayRateLimit } from '../../gateway/rate-limit/gateway-rate-limit';
import { CancellationStateService } from '../state/cancellation-state.service';
import { newId } from '../../database/ids';
import { PaymentEntity } from '../entities/payment.entity';
import { approvalFromRecord } from '../approval-from-record';
import { PaymentStateService } from '../state/payment-state.service';
import { DEFAULT_TENANT_ID } from '../../common/auth/principal';

export interface ReconciledOrder {
  /** Every tid the gateway reported for the order (approval and cancels). */
  gatewayTids: Set<string>;
  /** Cancel tids left for one of our own cancels still awaiting its answer (see CancelService.recordGatewayCancel). */
  deferredTids: Set<string>;
  paymentId?: string;
}

/**
 * Brings one order in line with the gateway's own record (§8 by ordNo): the approval, then every
 * cancel by its tid. Whatever the order in which the news arrived, the end state is the
 * gateway's. Goes through the same domain services as the API (one path to money state).
 */
@Injectable()
export class PaymentReconcilerService {
  constructor(
    @InjectRepository(PaymentEntity, PAYMENTS_DATA_SOURCE) private readonly payments: Repository<PaymentEntity>,
    private readonly gateway: PaystoryClient,
    private readonly state: PaymentStateService,
    private readonly cancellations: CancellationStateService,
    private readonly merchants: MerchantDirectory,
    private readonly gatewayRate: GatewayRateLimit,
  ) {}

  /** Undefined when the gateway could not be asked (try again later). */
  async reconcileOrder(orderNo: string, merchant: { name: string; mid: string }): Promise<ReconciledOrder | undefined> {
    const outcome = await this.gatewayRate
      .send(merchant.name, (sendBy) => this.gateway.queryByOrderNo(orderNo, { merchant: merchant.name, sendBy }))
      .catch(() => undefined);
    if (!outcome?.ok) return undefined;
    return this.reconcileRecords(orderNo, outcome.data.transactions, merchant);
  }

  /** The same, from the gateway's records of the order already queried (the daily reconciliation compares them first). */
  async reconcileRecords(
    orderNo: string,
    records: readonly TransactionRecord[],
    merchant: { name: string; mid: string },
  ): Promise<ReconciledOrder> {
    const gatewayTids = new Set(records.map((r) => r.tid));
    const approval = records.find((r) => isChargeApproval(r.resultCode));
    const deferredTids = new Set<string>();
    if (!approval) return { gatewayTids, deferredTids };

    const payment =
      (await this.payments.findOneBy({ orderId: orderNo })) ??
      (await this.recordUnseenPayment(orderNo, approval, merchant));
    if (payment.status === 'PENDING' || payment.status === 'UNKNOWN' || payment.status === 'DECLINED') {
      await this.state.approve(payment.id, approvalFromRecord(approval, payment));
    }
    for (const cancel of records.filter((r) => isCancelSuccess(r.resultCode) && r.tid !== approval.tid)) {
      const recorded = await this.cancellations.recordGatewayCancel(payment.id, {
        tid: cancel.tid,
        amount: cancel.amount ?? 0,
        cancelledAt: cancel.approvedAt,
      });
      if (recorded === 'deferred') deferredTids.add(cancel.tid);
    }
    return { gatewayTids, deferredTids, paymentId: payment.id };
  }

  /**
   * A payment the gateway approved that this service never saw (made elsewhere, or its row lost).
   * The gateway's record names no tenant: the merchant's own tenant when it has one, else `default`.
   */
  private async recordUnseenPayment(
    orderNo: string,
    approval: TransactionRecord,
    merchant: { name: string; mid: string },
  ): Promise<PaymentEntity> {
    const tenantId = this.merchants.tenantOfMid(merchant.mid) ?? DEFAULT_TENANT_ID;
    const payment = this.payments.create({
      id: newId('pay'),
      tenantId,
      orderId: orderNo,
      billingKeyId: null,
      customerId: 'unknown',
      customerRef: null,
      merchant: merchant.name,
      mid: merchant.mid,
      payMethod: this.merchants.payMethodOf(merchant.name),
      status: 'APPROVED',
      amount: approval.amount ?? 0,
      cancelledAmount: 0,
      pendingCancelAmount: 0,
      installmentMonths: 0,
      goodsName: approval.goodsName ?? '',
      buyerName: '',
      buyerTel: '',
      buyerEmail: null,
      metadata: null,
      tid: approval.tid,
      approvalNo: approval.approvalNo ?? null,
      approvedAt: approval.approvedAt ?? new Date(),
      cardMasked: approval.card.masked ?? null,
      cardIssuerCode: approval.card.issuerCode ?? null,
      cardIssuerName: approval.card.issuerName ?? null,
      cardAcquirerCode: approval.card.acquirerCode ?? null,
      cardType: approval.card.type ?? null,
      sentAt: null,
      resolveAttempts: 0,
      needsAttention: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    return this.state.recordFoundApproved(payment);
  }
}
