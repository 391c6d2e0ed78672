import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import { findRequestProblems } from '@app/paystory/endpoints/request-checker';
import { PaystorySigner, type SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { MerchantDirectory } from '../config/merchant-directory.service';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';
import { FaultPlan } from '../faults/fault-plan.service';
import type { FaultableEndpoint, FaultName } from '../faults/fault.types';
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
  process(call: GatewayCall): GatewayAnswer | Promise<GatewayAnswer>;
}

/** Unknown fields a real gateway may add to any answer (§1.2.3); the `extra-fields` fault sends them. */
const EXTRA_FIELDS = Object.freeze({ pgVersion: '2.4.1', trxStatus: '0', sandboxNote: '응답 필드가 추가될 수 있습니다', extraInfo: { channel: 'API', seq: 1 } });

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
  ) {}

  async run(req: Request, res: Response, handler: EndpointHandler): Promise<void> {
    const spec = ENDPOINTS[handler.endpoint];
    const { fields, charset } = spec.method === 'GET' ? readQueryString(req) : await readFormBody(req);
    const entry = this.requests.record(handler.endpoint, req.method, spec.path, fields, charset);
    const fault = this.faults.take(handler.endpoint, handler.amountField ? fields[handler.amountField] : undefined);
    entry.fault = fault;

    if (fault === 'hang-before-processing') return this.held.hold(res);
    if (fault === 'http-500') return this.send(res, entry, 500, '<html><body><h1>500 Internal Server Error</h1></body></html>', 'text/html; charset=utf-8');
    // "Slow" is slow processing: the request is approved only after the delay, whoever still waits for it.
    if (fault === 'slow' && !(await this.timers.delay(this.settings.slowMs))) return;

    const answer = await this.answer(handler, fields, charset);
    entry.resultCd = answer.resultCd;
    entry.resultMsg = answer.resultMsg;
    this.logger.log(`${spec.path} ${answer.resultCd}${fault ? ` (fault ${fault})` : ''}`);
    this.deliver(res, entry, answer, fault);
  }

  private async answer(handler: EndpointHandler, fields: Record<string, string>, charset: PaystoryCharset): Promise<GatewayAnswer> {
    const echo = fields.mid ? { mid: fields.mid } : {};
    const problems = findRequestProblems(handler.endpoint, fields, charset);
    if (problems.length > 0) return gatewayAnswer(OTHER_ERROR, echo, `요청 필드 오류: ${problems.map((p) => p.message).join('; ')}`);
    const merchant = this.merchants.find(fields.mid);
    if (!merchant) return gatewayAnswer(OTHER_ERROR, echo, `mid: 등록되지 않은 가맹점입니다 (${fields.mid})`);
    const expected = handler.expectedHash(this.signer, merchant, fields);
    if (!this.signer.matches(expected, fields[handler.hashField] ?? '')) {
      return gatewayAnswer(OTHER_ERROR, echo, `${handler.hashField}: 해시 검증 실패 (위변조 또는 상점키 불일치)`);
    }
    return handler.process({ fields, charset, merchant });
  }

  private deliver(res: Response, entry: ReceivedRequest, answer: GatewayAnswer, fault: FaultName | undefined): void {
    const json = JSON.stringify(answer);
    switch (fault) {
      case 'hang-after-processing':
        return this.held.hold(res);
      case 'reset-after-processing':
        res.socket?.resetAndDestroy();
        return;
      case 'malformed-after-processing':
        return this.send(res, entry, 200, json.slice(0, Math.floor(json.length / 2)), 'application/json; charset=utf-8');
      case 'extra-fields':
        return this.send(res, entry, 200, JSON.stringify({ ...answer, ...EXTRA_FIELDS }), 'application/json; charset=utf-8');
      default:
        return this.send(res, entry, 200, json, 'application/json; charset=utf-8');
    }
  }

  private send(res: Response, entry: ReceivedRequest, status: number, body: string, contentType: string): void {
    entry.httpStatus = status;
    res.status(status).type(contentType).send(body);
  }
}
