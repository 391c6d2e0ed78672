import { Injectable } from '@nestjs/common';
import type { PaystorySigner, SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { gatewayAnswer, OTHER_ERROR, type GatewayAnswer } from '../protocol/gateway-answer';
import type { CallOrder } from '../faults/fault.types';
import type { EndpointHandler, GatewayCall } from '../protocol/gateway-endpoint.runner';
import { QUERY_SUCCESS } from './result-codes';
import { approvalRecord, cancellationRecord, type TransactionRecordFields } from './transaction-records';
import { TransactionStore } from './transaction.store';

/**
 * `GET /transaction` (§8): by `tid` (an approval or a cancel, alone) or, with `tid` empty, by
 * `ordNo` (the approval followed by each of its cancels, oldest first). A transaction the gateway
 * never approved is `0000` with `cnt` "0" and no data: that is how a merchant learns "never charged".
 */
@Injectable()
export class QueryHandler implements EndpointHandler {
  readonly endpoint = 'query' as const;
  readonly hashField = 'hashStr' as const;

  constructor(private readonly transactions: TransactionStore) {}

  expectedHash(signer: PaystorySigner, merchant: SigningMerchant, fields: Record<string, string>): string {
    // NOTES item 3: by ordNo the tid part of the hash is the empty string.
    return fields.tid
      ? signer.queryByTid(merchant, fields.ediDate, fields.tid)
      : signer.queryByOrderNo(merchant, fields.ediDate);
  }

  /** The order queried: by `ordNo`, or the approval a `tid` names (a cancel's tid names its approval). */
  orderOf(fields: Record<string, string>): CallOrder {
    if (!fields.tid)
      return {
        ordNo: fields.ordNo || undefined,
        tid: this.transactions.approvalByOrderNo(fields.mid, fields.ordNo ?? '')?.tid,
      };
    const approval =
      this.transactions.approval(fields.tid) ??
      this.transactions.approval(this.transactions.cancellation(fields.tid)?.oTid ?? '');
    return { ordNo: approval?.ordNo, tid: approval?.tid ?? fields.tid };
  }

  process({ fields, merchant }: GatewayCall): GatewayAnswer {
    if (!fields.tid && !fields.ordNo)
      return gatewayAnswer(OTHER_ERROR, { mid: merchant.mid }, 'tid 또는 ordNo 중 하나는 필요합니다');
    const records = fields.tid ? this.byTid(merchant.mid, fields.tid) : this.byOrderNo(merchant.mid, fields.ordNo);
    return gatewayAnswer(QUERY_SUCCESS, { cnt: String(records.length), resultData: records });
  }

  private byTid(mid: string, tid: string): TransactionRecordFields[] {
    const approval = this.transactions.approval(tid);
    if (approval) return approval.mid === mid ? [approvalRecord(approval)] : [];
    const cancellation = this.transactions.cancellation(tid);
    const original = cancellation && this.transactions.approval(cancellation.oTid);
    return cancellation && original && cancellation.mid === mid ? [cancellationRecord(original, cancellation)] : [];
  }

  private byOrderNo(mid: string, ordNo: string): TransactionRecordFields[] {
    const approval = this.transactions.approvalByOrderNo(mid, ordNo);
    if (!approval) return [];
    return [
      approvalRecord(approval),
      ...this.transactions.cancellationsOf(approval).map((c) => cancellationRecord(approval, c)),
    ];
  }
}
