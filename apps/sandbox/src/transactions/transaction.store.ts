import { Injectable } from '@nestjs/common';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import type { VatAmounts } from '@app/paystory/vat/vat-amounts';
import type { StoredCard } from '../billing-keys/billing-key.store';
import type { IssuedPayMethod } from '../ids/id-issuer.service';

/** An approved payment and what is left of it. */
export interface Approval {
  tid: string;
  mid: string;
  payMethod: IssuedPayMethod;
  bid?: string;
  ordNo: string;
  goodsName: string;
  amount: number;
  /** What can still be cancelled: amount minus every cancel so far (NOTES item 13). */
  remaining: number;
  /** The amount's split into supply, VAT and service charge (sent, or the gateway's own). */
  vat: VatAmounts;
  /** What is left of the split: `vat` minus every cancel's share. */
  vatRemaining: VatAmounts;
  appNo: string;
  appDtm: string;
  ordNm: string;
  ordTel: string;
  ordEmail?: string;
  mbsUsrId?: string;
  mbsReserved?: string;
  quota: string;
  card?: StoredCard;
  phoneMasked?: string;
  /** Where this charge's notifications go (the request's notiUrl), if it named one. */
  notiUrl?: string;
  charset: PaystoryCharset;
  cancelTids: string[];
}

/** One cancel, full or partial, with its own tid (§7.4). */
export interface Cancellation {
  tid: string;
  oTid: string;
  mid: string;
  amount: number;
  /** This cancel's share of the approval's split. */
  vat: VatAmounts;
  partial: boolean;
  reason: string;
  ccDtm: string;
  /** `api` for /payment.cancel, `admin` for a cancel made "in the merchant console". */
  source: 'api' | 'admin';
  notiUrl?: string;
  charset: PaystoryCharset;
}

/** Every approval and cancel the sandbox made, by tid and by order number. */
@Injectable()
export class TransactionStore {
  private readonly approvals = new Map<string, Approval>();
  /** Approvals by merchant and order number: every charge, query and cancel by ordNo looks here. */
  private readonly approvalsByOrder = new Map<string, Approval>();
  private readonly cancellations = new Map<string, Cancellation>();

  addApproval(approval: Approval): void {
    this.approvals.set(approval.tid, approval);
    this.approvalsByOrder.set(orderKey(approval.mid, approval.ordNo), approval);
  }

  addCancellation(approval: Approval, cancellation: Cancellation): void {
    this.cancellations.set(cancellation.tid, cancellation);
    approval.cancelTids.push(cancellation.tid);
    approval.remaining -= cancellation.amount;
    approval.vatRemaining = {
      supply: approval.vatRemaining.supply - cancellation.vat.supply,
      vat: approval.vatRemaining.vat - cancellation.vat.vat,
      service: approval.vatRemaining.service - cancellation.vat.service,
    };
  }

  approval(tid: string): Approval | undefined {
    return this.approvals.get(tid);
  }

  cancellation(tid: string): Cancellation | undefined {
    return this.cancellations.get(tid);
  }

  approvalByOrderNo(mid: string, ordNo: string): Approval | undefined {
    return this.approvalsByOrder.get(orderKey(mid, ordNo));
  }

  cancellationsOf(approval: Approval): Cancellation[] {
    return approval.cancelTids
      .map((tid) => this.cancellations.get(tid))
      .filter((c): c is Cancellation => c !== undefined);
  }

  allApprovals(): Approval[] {
    return [...this.approvals.values()];
  }

  clear(): void {
    this.approvals.clear();
    this.approvalsByOrder.clear();
    this.cancellations.clear();
  }
}

function orderKey(mid: string, ordNo: string): string {
  return `${mid}\u0000${ordNo}`;
}
