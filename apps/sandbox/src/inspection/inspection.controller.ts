import { BadRequestException, Controller, Delete, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AuthSessionStore } from '../auth-window/auth-session.store';
import { BillingKeyStore, type StoredBillingKey } from '../billing-keys/billing-key.store';
import { FaultPlan } from '../faults/fault-plan.service';
import { FAULT_NAMES, FAULTABLE_ENDPOINTS, isFaultableEndpoint, isFaultName } from '../faults/fault.types';
import { NotificationSender, type NotificationAttempt } from '../notifications/notification-sender.service';
import { readJsonBody } from '../protocol/raw-body.reader';
import { RequestLog, type ReceivedRequest } from '../protocol/request-log.service';
import { TransactionStore, type Approval } from '../transactions/transaction.store';

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
  cancellations: { tid: string; amount: number; partial: boolean; reason: string; ccDtm: string; source: string }[];
}

/**
 * The sandbox's test surface under `/__sandbox/`: what it received, what it holds, programmable
 * faults and a reset. Not part of the gateway's protocol.
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

  @Get('faults')
  listFaults(): ReturnType<FaultPlan['pending']> {
    return this.faults.pending();
  }

  /** `{ endpoint, fault, count? }`: the next `count` (default 1) calls of `endpoint` play `fault`. */
  @Post('faults')
  @HttpCode(201)
  async addFault(@Req() req: Request): Promise<{ endpoint: string; fault: string; count: number }> {
    const body = await readJson(req);
    if (!isFaultableEndpoint(body.endpoint)) throw new BadRequestException({ field: 'endpoint', message: `endpoint must be one of ${FAULTABLE_ENDPOINTS.join(', ')}` });
    if (!isFaultName(body.fault)) throw new BadRequestException({ field: 'fault', message: `fault must be one of ${FAULT_NAMES.join(', ')}` });
    const count = body.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new BadRequestException({ field: 'count', message: 'count must be a positive integer' });
    this.faults.add(body.endpoint, body.fault, count);
    return { endpoint: body.endpoint, fault: body.fault, count };
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.clear();
  }

  /** Forgets every key, payment, request, notification, auth session and fault (issued ids still never repeat). */
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.requests.clear();
    this.transactions.clear();
    this.keys.clear();
    this.notifications.clear();
    this.faults.clear();
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
      cancellations: cancellations.map((c) => ({ tid: c.tid, amount: c.amount, partial: c.partial, reason: c.reason, ccDtm: c.ccDtm, source: c.source })),
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
