import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import { escapeHtml, page } from '../pages/html';
import { readFormBody } from '../protocol/raw-body.reader';
import { RequestLog } from '../protocol/request-log.service';
import { AUTHORIZE_PATH, entryPage, refusedPage, resultPage } from './auth-window-pages';
import { AuthWindowService } from './auth-window.service';
import { pgAsistantScript } from './pg-asistant-script';

const HTML = 'text/html; charset=utf-8';

/** The browser side of auth-window issuance (§2.2, §4.1, §4.2, NOTES item 18). */
@Controller()
export class AuthWindowController {
  constructor(
    private readonly window: AuthWindowService,
    private readonly requests: RequestLog,
  ) {}

  @Get('js/pgAsistant.js')
  script(@Req() req: Request, @Res() res: Response): void {
    res
      .type('application/javascript; charset=utf-8')
      .send(pgAsistantScript(`${req.protocol}://${req.get('host') ?? 'localhost'}`));
  }

  /** The merchant's §4.1 form arrives here (through `SendPay`); answers the card or phone entry page. */
  @Post(ENDPOINTS.authRequest.path)
  async order(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { fields, charset } = await readFormBody(req);
    const entry = this.requests.record('authRequest', req.method, ENDPOINTS.authRequest.path, fields, charset);
    const result = this.window.open(fields, charset);
    if (!result.opened) {
      entry.resultCd = result.refusal.resultCode;
      entry.resultMsg = result.refusal.data.resultMsg;
      return void res.type(HTML).send(refusedPage(result.refusal));
    }
    entry.resultCd = '0000';
    res.type(HTML).send(entryPage(result.order, result.orderKey, this.window.closed(result.order)));
  }

  /** The person's card or phone: answers the page again with an error, or the result page that reports to the merchant. */
  @Post(AUTHORIZE_PATH)
  async authorize(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { fields } = await readFormBody(req);
    const result = this.window.authorize(fields);
    if (result.done === 'unknown-order') {
      return void res
        .status(404)
        .type(HTML)
        .send(
          page(
            '결제 요청 오류',
            `<h1>결제 요청 오류</h1>\n<p class="error" id="error">${escapeHtml('만료되었거나 알 수 없는 결제 요청입니다')}</p>`,
          ),
        );
    }
    if (!result.done)
      return void res
        .type(HTML)
        .send(entryPage(result.order, fields.orderKey, this.window.closed(result.order), result.error));
    res.type(HTML).send(resultPage(result.message, result.order.language));
  }
}
