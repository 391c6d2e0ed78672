import { BadRequestException, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Request } from 'express';
import type { VatAmounts } from '@app/paystory/vat/vat-amounts';
import { AuthSessionStore } from '../auth-window/auth-session.store';
import { BillingKeyStore, type StoredBillingKey } from '../billing-keys/billing-key.store';
import { FaultPlan } from '../faults/fault-plan.service';
import { LateProcessing } from '../faults/late-processing.service';
import { NotificationSender, type NotificationAttempt } from '../notifications/notification-sender.service';
import { readJsonBody } from '../protocol/raw-body.reader';
import { RequestLog, type ReceivedRequest } from '../protocol/request-log.service';
import { TransactionStore, type Approval } from '../transactions/transaction.store';
import { ledgerRow, type Ledger } from './ledger';

/** What `GET /__sandbox/transactions` lists for each approval. */
export interface ApprovalView {
  tid: string;
  mid: string;
  payMethod: string;
  bid?: string;
  ordNo: string;
  goodsName: string;
  amount: number;
  cancelledAmount: number;
  remaining: number;
  status: 'approved' | 'partially_cancelled' | 'cancelled';
  appNo: string;
  appDtm: string;
  cardNo?: string;
  phone?: string;
  notiUrl?: string;
  /** The split of the amount and what remains of it. */
  vat: VatAmounts;
  vatRemaining: VatAmounts;
  cancellations: {
    tid: string;
    amount: number;
    vat: VatAmounts;
    partial: boolean;
    reason: string;
    ccDtm: string;
    source: string;
  }[];
}

/**
 * The sandbox's test surface under `/__sandbox/`: what it received, what it holds and a reset
 * (faults are programmed in `FaultsController`). Not part of the gateway's protocol.
 */
@Controller('__sandbox')
export class InspectionController {
  constructor(
    private readonly requests: RequestLog,
    private readonly transactions: TransactionStore,
    private readonly keys: BillingKeyStore,
    private readonly notifications: NotificationSender,
    private readonly faults: FaultPlan,
    private readonly sessions: AuthSessionStore,
    private readonly late: LateProcessing,
  ) {}

  @Get('requests')
  listRequests(@Query('endpoint') endpoint?: string): ReceivedRequest[] {
    return this.requests.list(endpoint);
  }

  @Get('transactions')
  listTransactions(): ApprovalView[] {
    return this.transactions.allApprovals().map((a) => this.view(a));
  }

  @Get('billing-keys')
  listBillingKeys(): StoredBillingKey[] {
    return this.keys.all();
  }

  @Get('notifications')
  listNotifications(): NotificationAttempt[] {
    return this.notifications.list();
  }

  /** Per approved order what the gateway kept, what late processing still holds back and which notifications are still on their way; `?ordNo=` for one order. */
  @Get('ledger')
  ledger(@Query('ordNo') ordNo?: string): Ledger {
    const approvals = this.transactions.allApprovals().filter((a) => ordNo === undefined || a.ordNo === ordNo);
    return {
      orders: approvals.map((a) => ledgerRow(a, this.transactions.cancellationsOf(a))),
      pending: this.late.pending().filter((p) => ordNo === undefined || p.ordNo === ordNo),
      notifying: this.notifications.delivering(ordNo),
    };
  }

  /**
   * Forgets every key, payment, request, notification, auth session and fault, and drops requests
   * still waiting for late processing (issued ids still never repeat).
   */
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.requests.clear();
    this.transactions.clear();
    this.keys.clear();
    this.notifications.clear();
    this.faults.clear();
    this.late.clear();
    this.sessions.clear();
  }

  private view(a: Approval): ApprovalView {
    const cancellations = this.transactions.cancellationsOf(a);
    return {
      tid: a.tid,
      mid: a.mid,
      payMethod: a.payMethod,
      bid: a.bid,
      ordNo: a.ordNo,
      goodsName: a.goodsName,
      amount: a.amount,
      cancelledAmount: a.amount - a.remaining,
      remaining: a.remaining,
      status: a.remaining === 0 ? 'cancelled' : a.remaining < a.amount ? 'partially_cancelled' : 'approved',
      appNo: a.appNo,
      appDtm: a.appDtm,
      cardNo: a.card?.cardNoMasked,
      phone: a.phoneMasked,
      notiUrl: a.notiUrl,
      vat: a.vat,
      vatRemaining: a.vatRemaining,
      cancellations: cancellations.map((c) => ({
        tid: c.tid,
        amount: c.amount,
        vat: c.vat,
        partial: c.partial,
        reason: c.reason,
        ccDtm: c.ccDtm,
        source: c.source,
      })),
    };
  }
}

/** A JSON body, or a 400 naming what is wrong with it. */
export async function readJson(req: Request): Promise<Record<string, unknown>> {
  try {
    return await readJsonBody(req);
  } catch (err) {
    throw new BadRequestException({ field: 'body', message: err instanceof Error ? err.message : 'unreadable body' });
  }
}
