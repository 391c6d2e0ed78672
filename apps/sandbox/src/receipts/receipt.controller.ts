import { Controller, Get, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import { findRequestProblems } from '@app/paystory/endpoints/request-checker';
import { PaystorySigner } from '@app/paystory/signer/paystory-signer';
import { MerchantDirectory } from '../config/merchant-directory.service';
import { readFormBody, readQueryString } from '../protocol/raw-body.reader';
import { TransactionStore, type Approval } from '../transactions/transaction.store';
import { receiptErrorPage, receiptPage, type ReceiptLanguage } from './receipt-page';
import { receiptScript } from './receipt-script';

/** The receipt page's own path on the admin host (§9.2.2's screenshot). */
const RECEIPT_PAGE_PATH = '/receiptSearch.html';

type PageResult = { status: number; html: string };

/**
 * The admin host's receipt (§9, NOTES item 5): `receipt.js` and `receiptSearch.html`. Posting the
 * §9.1.2 fields to `receipt.js`, as the gateway's sample page does, leads to the receipt page.
 */
@Controller()
export class ReceiptController {
  constructor(
    private readonly signer: PaystorySigner,
    private readonly merchants: MerchantDirectory,
    private readonly transactions: TransactionStore,
  ) {}

  @Get(ENDPOINTS.receipt.path)
  script(@Req() req: Request, @Res() res: Response): void {
    res.type('application/javascript; charset=utf-8').send(receiptScript(originOf(req)));
  }

  @Post(ENDPOINTS.receipt.path)
  async postedToScript(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { fields } = await readFormBody(req);
    if (Object.keys(fields).length === 0) return this.script(req, res);
    const result = this.receipt(fields, true);
    if (result.status !== HttpStatus.OK)
      return void res.status(result.status).type('text/html; charset=utf-8').send(result.html);
    const query = new URLSearchParams({ tid: fields.tid, ...(fields.lang ? { lang: fields.lang } : {}) });
    res.redirect(HttpStatus.SEE_OTHER, `${RECEIPT_PAGE_PATH}?${query.toString()}`);
  }

  @Get(RECEIPT_PAGE_PATH)
  viewed(@Req() req: Request, @Res() res: Response): void {
    const result = this.receipt(readQueryString(req).fields, false);
    res.status(result.status).type('text/html; charset=utf-8').send(result.html);
  }

  @Post(RECEIPT_PAGE_PATH)
  async posted(@Req() req: Request, @Res() res: Response): Promise<void> {
    const fields = { ...readQueryString(req).fields, ...(await readFormBody(req)).fields };
    const result = this.receipt(fields, false);
    res.status(result.status).type('text/html; charset=utf-8').send(result.html);
  }

  /**
   * A receipt needs the tid; when `encData` comes too (or the fields were posted to receipt.js),
   * the §9.1.2 fields must be valid and `encData` must be the merchant's mid + key hash.
   */
  private receipt(fields: Record<string, string>, signedRequired: boolean): PageResult {
    const lang: ReceiptLanguage = fields.lang === 'en' ? 'en' : 'ko';
    const error = (status: number, message: string): PageResult => ({ status, html: receiptErrorPage(message, lang) });
    if (!fields.tid) return error(HttpStatus.BAD_REQUEST, 'tid is required');
    const approval = this.approvalFor(fields.tid);
    if (signedRequired || fields.encData !== undefined) {
      const problems = findRequestProblems(
        'receipt',
        pick(
          fields,
          ENDPOINTS.receipt.request.map((f) => f.name),
        ),
        'UTF-8',
      );
      if (problems.length > 0) return error(HttpStatus.BAD_REQUEST, problems.map((p) => p.message).join('; '));
      const merchant = this.merchants.find(fields.mid);
      if (!merchant || !this.signer.matches(this.signer.receipt(merchant), fields.encData))
        return error(HttpStatus.FORBIDDEN, 'encData: 가맹점 검증에 실패했습니다');
      if (approval && approval.mid !== merchant.mid) return error(HttpStatus.NOT_FOUND, '거래 내역이 없습니다');
    }
    if (!approval) return error(HttpStatus.NOT_FOUND, '거래 내역이 없습니다');
    // Billing payments issue no cash receipt; the sales slip is the "general" receipt of a card (§9.1.2).
    if (fields.receiptType === 'cash') return error(HttpStatus.NOT_FOUND, '현금영수증 발행 내역이 없습니다');
    return { status: HttpStatus.OK, html: receiptPage(approval, this.transactions.cancellationsOf(approval), lang) };
  }

  /** The approval a tid belongs to: itself, or the original of a cancel. */
  private approvalFor(tid: string): Approval | undefined {
    const cancellation = this.transactions.cancellation(tid);
    return this.transactions.approval(cancellation ? cancellation.oTid : tid);
  }
}

function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function pick(fields: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => fields[n] !== undefined).map((n) => [n, fields[n]]));
}
