import type { VatAmounts } from '@app/paystory/vat/vat-amounts';
import type { PendingLateRequest } from '../faults/late-processing.service';
import type { NotificationInFlight } from '../notifications/notification-sender.service';
import type { Approval, Cancellation } from '../transactions/transaction.store';

/** What the gateway holds of one approved order, in KRW: `kept` = `approved` − `cancelled`. */
export interface LedgerRow {
  mid: string;
  ordNo: string;
  /** The approval's tid. */
  tid: string;
  bid?: string;
  payMethod: string;
  approved: number;
  cancelled: number;
  kept: number;
  /** Each cancel, oldest first: its own tid, amount and share of the VAT split. */
  cancels: { tid: string; amount: number; vat: VatAmounts }[];
  /** The approved amount's split (supply, VAT, service charge) and what is kept of it. */
  vat: { approved: VatAmounts; kept: VatAmounts };
}

/**
 * `GET /__sandbox/ledger`: the money the gateway kept, per approved order, the requests it took but
 * has not processed yet (`late-processing`), and the notifications it is still delivering: a
 * checker waits for `pending` and `notifying` to empty (a late approval reaches the merchant by its
 * notification, after `pending` has emptied).
 */
export interface Ledger {
  orders: LedgerRow[];
  pending: PendingLateRequest[];
  notifying: NotificationInFlight[];
}

export function ledgerRow(approval: Approval, cancels: Cancellation[]): LedgerRow {
  const cancelled = approval.amount - approval.remaining;
  return {
    mid: approval.mid,
    ordNo: approval.ordNo,
    tid: approval.tid,
    bid: approval.bid,
    payMethod: approval.payMethod,
    approved: approval.amount,
    cancelled,
    kept: approval.remaining,
    cancels: cancels.map((c) => ({ tid: c.tid, amount: c.amount, vat: c.vat })),
    vat: { approved: approval.vat, kept: approval.vatRemaining },
  };
}
