import type { ChargeApproved, TransactionRecord } from '@app/paystory';
import type { PaymentEntity } from './entities/payment.entity';

/** A charge's approval as the transaction query (§8) lists it, in the shape of a charge's own answer. */
export function approvalFromRecord(
  record: TransactionRecord,
  payment: Pick<PaymentEntity, 'orderId' | 'amount'>,
): ChargeApproved {
  return {
    tid: record.tid,
    orderNo: record.orderNo ?? payment.orderId,
    amount: record.amount ?? payment.amount,
    approvalNo: record.approvalNo,
    approvedAt: record.approvedAt,
    card: record.card,
  };
}
