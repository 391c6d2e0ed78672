import { Injectable } from '@nestjs/common';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import { proportionalShares, type VatAmounts } from '@app/paystory/vat/vat-amounts';
import { IdIssuer } from '../ids/id-issuer.service';
import { NotificationSender } from '../notifications/notification-sender.service';
import { GatewayClock } from '../protocol/gateway-clock.service';
import { TransactionStore, type Approval, type Cancellation } from '../transactions/transaction.store';

/** §12.4 codes for cancels the balance does not allow. */
export const ALREADY_CANCELLED = '2004';
export const CANCEL_AMOUNT_NOT_POSITIVE = '2010';
export const FULL_CANCEL_AMOUNT_MISMATCH = '2011';
export const CANCEL_OVER_BALANCE = '2032';

export interface CancelRequest {
  amount: number;
  partial: boolean;
  reason: string;
  source: Cancellation['source'];
  notiUrl?: string;
  charset: PaystoryCharset;
  /** The cancel's share of the split; absent: a share of what remains of it, in proportion (an admin cancel). */
  vat?: VatAmounts;
}

/**
 * The balance rules of a cancel (§7, NOTES item 13) and the cancel itself: each cancel, full or
 * partial, gets its own tid, lowers the remaining balance and is notified (§10).
 */
@Injectable()
export class CancellationMaker {
  constructor(
    private readonly ids: IdIssuer,
    private readonly clock: GatewayClock,
    private readonly transactions: TransactionStore,
    private readonly notifications: NotificationSender,
  ) {}

  /** The §12.4 code that refuses this cancel, or undefined when the balance allows it. */
  refusal(approval: Approval, request: Pick<CancelRequest, 'amount' | 'partial'>): string | undefined {
    if (approval.remaining <= 0) return ALREADY_CANCELLED;
    if (request.amount <= 0) return CANCEL_AMOUNT_NOT_POSITIVE;
    if (!request.partial && request.amount !== approval.remaining) return FULL_CANCEL_AMOUNT_MISMATCH;
    if (request.amount > approval.remaining) return CANCEL_OVER_BALANCE;
    return undefined;
  }

  cancel(approval: Approval, request: CancelRequest): Cancellation {
    const cancellation: Cancellation = {
      tid: this.ids.tid(approval.mid, approval.payMethod, 'cancel'),
      oTid: approval.tid,
      mid: approval.mid,
      amount: request.amount,
      vat: request.vat ?? proportionalShares({ ...approval.vatRemaining }, request.amount),
      partial: request.partial,
      reason: request.reason,
      ccDtm: this.clock.stamp(),
      source: request.source,
      notiUrl: request.notiUrl || undefined,
      charset: request.charset,
    };
    this.transactions.addCancellation(approval, cancellation);
    this.notifications.notifyCancellation(approval, cancellation);
    return cancellation;
  }
}
