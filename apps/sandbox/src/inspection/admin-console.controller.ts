import {
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  Req,
  UnprocessableEntityException,
  BadRequestException,
  ConflictException,
} from '@nestjs/common';
import type { Request } from 'express';
import { describeResult } from '@app/paystory/catalogue/result-codes';
import { CancellationMaker } from '../cancels/cancellation-maker.service';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';
import { NotificationSender } from '../notifications/notification-sender.service';
import { CANCEL_SUCCESS } from '../transactions/result-codes';
import { TransactionStore } from '../transactions/transaction.store';
import { readJson } from './inspection.controller';

/** What an admin cancel did. */
export interface AdminCancelResult {
  resultCd: string;
  resultMsg: string;
  tid: string;
  oTid: string;
  amount: number;
  remaining: number;
  notified: boolean;
}

/**
 * Stand-ins for what people do in the gateway's merchant console (mms): cancel a payment there,
 * or have a notification sent again. The merchant's service learns of both only by notification.
 */
@Controller('__sandbox/admin')
export class AdminConsoleController {
  constructor(
    @Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings,
    private readonly transactions: TransactionStore,
    private readonly cancellations: CancellationMaker,
    private readonly notifications: NotificationSender,
  ) {}

  /** `{ tid, amount? }`: cancels `amount` (partial) or, without it, the whole remaining balance. */
  @Post('cancel')
  @HttpCode(200)
  async cancel(@Req() req: Request): Promise<AdminCancelResult> {
    const body = await readJson(req);
    const approval = typeof body.tid === 'string' ? this.transactions.approval(body.tid) : undefined;
    if (!approval) throw new NotFoundException({ field: 'tid', message: 'no approval with this tid' });
    if (body.amount !== undefined && (typeof body.amount !== 'number' || !Number.isInteger(body.amount))) {
      throw new BadRequestException({ field: 'amount', message: 'amount must be a whole number of KRW' });
    }
    const amount = typeof body.amount === 'number' ? body.amount : approval.remaining;
    const partial = amount !== approval.remaining;
    const refusal = this.cancellations.refusal(approval, { amount, partial });
    if (refusal)
      throw new UnprocessableEntityException({ resultCd: refusal, resultMsg: describeResult(refusal).message });
    // The console sends to its own notiUrl; without one configured, to where the charge's went.
    const notiUrl = this.settings.notiUrl ?? approval.notiUrl;
    const cancellation = this.cancellations.cancel(approval, {
      amount,
      partial,
      reason: '관리자 취소',
      source: 'admin',
      notiUrl,
      charset: approval.charset,
    });
    return {
      resultCd: CANCEL_SUCCESS,
      resultMsg: describeResult(CANCEL_SUCCESS).message,
      tid: cancellation.tid,
      oTid: approval.tid,
      amount,
      remaining: approval.remaining,
      notified: Boolean(notiUrl),
    };
  }

  /** `{ tid }`: sends the notification of an approval or a cancel again (a fresh delivery with its own retries). */
  @Post('notify')
  @HttpCode(202)
  async notify(@Req() req: Request): Promise<{ tid: string; sent: true }> {
    const body = await readJson(req);
    const tid = typeof body.tid === 'string' ? body.tid : '';
    const approval = this.transactions.approval(tid);
    const cancellation = this.transactions.cancellation(tid);
    const original = cancellation ? this.transactions.approval(cancellation.oTid) : undefined;
    let sent: boolean;
    if (approval) sent = this.notifications.notifyApproval(approval);
    else if (cancellation && original) sent = this.notifications.notifyCancellation(original, cancellation);
    else throw new NotFoundException({ field: 'tid', message: 'no transaction with this tid' });
    if (!sent)
      throw new ConflictException({ message: 'no notiUrl: neither the transaction nor the sandbox options name one' });
    return { tid, sent: true };
  }
}
