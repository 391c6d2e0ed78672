import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import { findRequestProblems } from '@app/paystory/endpoints/request-checker';
import { PaystorySigner, type SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { MerchantDirectory } from '../config/merchant-directory.service';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';
import { FaultPlan } from '../faults/fault-plan.service';
import type { CallOrder, FaultableEndpoint, PlayedFault } from '../faults/fault.types';
import { LateProcessing } from '../faults/late-processing.service';
import { HeldConnections } from '../lifecycle/held-connections.service';
import { SandboxTimers } from '../lifecycle/sandbox-timers.service';
import { gatewayAnswer, OTHER_ERROR, type GatewayAnswer } from './gateway-answer';
import { readFormBody, readQueryString } from './raw-body.reader';
import { RequestLog, type ReceivedRequest } from './request-log.service';

/** A request that passed the gateway's checks: known merchant, valid fields, right hash. */
export interface GatewayCall {
  fields: Record<string, string>;
  charset: PaystoryCharset;
  merchant: SigningMerchant;
}

/** How one gateway endpoint checks and processes a request. */
export interface EndpointHandler {
  endpoint: FaultableEndpoint;
  /** The request field carrying the hash (`encData`, or `hashStr` for the query). */
  hashField: 'encData' | 'hashStr';
  /** The hash the request must carry, from the library's signer. */
  expectedHash(signer: PaystorySigner, merchant: SigningMerchant, fields: Record<string, string>): string;
  /** The field whose reserved values play a transport fault (README "Failure triggers"). */
  amountField?: 'goodsAmt' | 'canAmt';
  /** The order a call names, for faults aimed at one order; default: the request's `ordNo` and `tid`. */
  orderOf?(fields: Record<string, string>): CallOrder;
  process(call: GatewayCall): GatewayAnswer | Promise<GatewayAnswer>;
  /** The `decline` fault's answer: a refusal with `code`, nothing processed (charges only). */
  decline?(call: GatewayCall, code: string): GatewayAnswer;
}

/** §12.2 카드 결제 실패: what a programmed `decline` answers unless told another code. */
export const DEFAULT_DECLINE_CODE = '3002';

/** Unknown fields a real gateway may add to any answer (§1.2.3); the `extra-fields` fault sends them. */
const EXTRA_FIELDS = Object.freeze({
  pgVersion: '2.4.1',
  trxStatus: '0',
  sandboxNote: '응답 필드가 추가될 수 있습니다',
  extraInfo: { channel: 'API', seq: 1 },
});

/**
 * The gateway's pipeline for every server-to-server endpoint: read the form in its charset, log
 * it, play any fault, check fields (endpoint catalogue), merchant and hash (signer), process,
 * answer JSON. Refusals are HTTP 200 with a result code, as the real gateway answers them.
 */
@Injectable()
export class GatewayEndpointRunner {
  private readonly logger = new Logger('SandboxGateway');

  constructor(
    @Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings,
    private readonly signer: PaystorySigner,
    private readonly merchants: MerchantDirectory,
    private readonly faults: FaultPlan,
    private readonly requests: RequestLog,
    private readonly held: HeldConnections,
    private readonly timers: SandboxTimers,
    private readonly late: LateProcessing,
  ) {}

  async run(req: Request, res: Response, handler: EndpointHandler): Promise<void> {
    // A real gateway's time per call (latencyMs, 0 by default) runs from the request's arrival and holds its
    // work: the answer, or the fault standing for one, leaves latencyMs after the request came in, not later.
    const dueAt = performance.now() + this.settings.latencyMs;
    const spec = ENDPOINTS[handler.endpoint];
    const { fields, charset } = spec.method === 'GET' ? readQueryString(req) : await readFormBody(req);
    const entry = this.requests.record(handler.endpoint, req.method, spec.path, fields, charset);
    const order = handler.orderOf?.(fields) ?? { ordNo: fields.ordNo || undefined, tid: fields.tid || undefined };
    const fault = this.faults.take(
      handler.endpoint,
      handler.amountField ? fields[handler.amountField] : undefined,
      order,
    );
    entry.fault = fault?.name;

    if (isPlayedUnprocessed(fault)) {
      if (this.settings.latencyMs > 0 && !(await this.until(dueAt))) return;
      return this.playUnprocessed(res, entry, handler, fault, { fields, charset, order });
    }
    // "Slow" is slow processing: the request is approved only after the delay, whoever still waits for it.
    if (fault?.name === 'slow' && !(await this.timers.delay(this.settings.slowMs))) return;

    const answer = await this.answer(handler, fields, charset, fault);
    this.note(entry, answer);
    if (this.settings.latencyMs > 0 && !(await this.until(dueAt))) return;
    this.deliver(res, entry, answer, fault);
  }

  /** The faults in which the gateway does not process the request (now): a held connection, late processing, a 500. */
  private playUnprocessed(
    res: Response,
    entry: ReceivedRequest,
    handler: EndpointHandler,
    fault: UnprocessedFault,
    call: { fields: Record<string, string>; charset: PaystoryCharset; order: CallOrder },
  ): void {
    if (fault.name === 'hang-before-processing') return this.held.hold(res);
    if (fault.name === 'late-processing')
      return this.processLater(res, entry, handler, { ...call, delayMs: fault.delayMs ?? this.settings.lateMs });
    return this.send(
      res,
      entry,
      500,
      '<html><body><h1>500 Internal Server Error</h1></body></html>',
      'text/html; charset=utf-8',
    );
  }

  /** Resolves true at `dueAt` (at once when it has passed), or false as soon as the sandbox closes. */
  private until(dueAt: number): Promise<boolean> {
    const waitMs = dueAt - performance.now();
    return waitMs > 0 ? this.timers.delay(waitMs) : Promise.resolve(true);
  }

  /**
   * `late-processing`: the gateway took the request, but the answer is lost (the connection is
   * dropped after `lateHoldMs`) and the request is processed `delayMs` later, under the rules of
   * that moment. Until then nothing of it shows, to the query either.
   */
  private processLater(
    res: Response,
    entry: ReceivedRequest,
    handler: EndpointHandler,
    late: { fields: Record<string, string>; charset: PaystoryCharset; order: CallOrder; delayMs: number },
  ): void {
    const { fields, charset, order, delayMs } = late;
    const request = {
      requestId: entry.id,
      endpoint: handler.endpoint,
      mid: fields.mid || undefined,
      ...order,
      amount: amountOf(fields),
      delayMs,
      receivedAt: entry.receivedAt,
    };
    this.late.schedule(request, async () => {
      const answer = await this.answer(handler, fields, charset, undefined);
      entry.processedAt = this.settings.clock.now().toISOString();
      this.note(entry, answer);
    });
    this.held.hold(res, this.settings.lateHoldMs);
  }

  private async answer(
    handler: EndpointHandler,
    fields: Record<string, string>,
    charset: PaystoryCharset,
    fault: PlayedFault | undefined,
  ): Promise<GatewayAnswer> {
    const echo = fields.mid ? { mid: fields.mid } : {};
    const problems = findRequestProblems(handler.endpoint, fields, charset);
    if (problems.length > 0)
      return gatewayAnswer(OTHER_ERROR, echo, `요청 필드 오류: ${problems.map((p) => p.message).join('; ')}`);
    const merchant = this.merchants.find(fields.mid);
    if (!merchant) return gatewayAnswer(OTHER_ERROR, echo, `mid: 등록되지 않은 가맹점입니다 (${fields.mid})`);
    const expected = handler.expectedHash(this.signer, merchant, fields);
    if (!this.signer.matches(expected, fields[handler.hashField] ?? '')) {
      return gatewayAnswer(OTHER_ERROR, echo, `${handler.hashField}: 해시 검증 실패 (위변조 또는 상점키 불일치)`);
    }
    const call = { fields, charset, merchant };
    // A card company's decline comes after the gateway's own checks: a bad request is still refused as such.
    if (fault?.name === 'decline' && handler.decline) return handler.decline(call, fault.code ?? DEFAULT_DECLINE_CODE);
    return handler.process(call);
  }

  private note(entry: ReceivedRequest, answer: GatewayAnswer): void {
    entry.resultCd = answer.resultCd;
    entry.resultMsg = answer.resultMsg;
    this.logger.log(`${entry.path} ${answer.resultCd}${entry.fault ? ` (fault ${entry.fault})` : ''}`);
  }

  private deliver(res: Response, entry: ReceivedRequest, answer: GatewayAnswer, fault: PlayedFault | undefined): void {
    const json = JSON.stringify(answer);
    switch (fault?.name) {
      case 'hang-after-processing':
        return this.held.hold(res);
      case 'reset-after-processing':
        res.socket?.resetAndDestroy();
        return;
      case 'malformed-after-processing':
        return this.send(
          res,
          entry,
          200,
          json.slice(0, Math.floor(json.length / 2)),
          'application/json; charset=utf-8',
        );
      case 'extra-fields':
        return this.send(
          res,
          entry,
          200,
          JSON.stringify({ ...answer, ...EXTRA_FIELDS }),
          'application/json; charset=utf-8',
        );
      case 'answer-code-after-processing':
        return this.send(
          res,
          entry,
          200,
          JSON.stringify({ ...answer, resultCd: fault.code }),
          'application/json; charset=utf-8',
        );
      default:
        return this.send(res, entry, 200, json, 'application/json; charset=utf-8');
    }
  }

  private send(res: Response, entry: ReceivedRequest, status: number, body: string, contentType: string): void {
    entry.httpStatus = status;
    res.status(status).type(contentType).send(body);
  }
}

type UnprocessedFault = PlayedFault & { name: 'hang-before-processing' | 'late-processing' | 'http-500' };

function isPlayedUnprocessed(fault: PlayedFault | undefined): fault is UnprocessedFault {
  return fault?.name === 'hang-before-processing' || fault?.name === 'late-processing' || fault?.name === 'http-500';
}

/** The KRW a request is about (a cancel's `canAmt`, else `goodsAmt`), when it is a whole number. */
function amountOf(fields: Record<string, string>): number | undefined {
  const amount = fields.canAmt ?? fields.goodsAmt;
  return amount !== undefined && /^\d+$/.test(amount) ? Number(amount) : undefined;
}
