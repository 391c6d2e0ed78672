import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { encodeForm, PaystoryCharset } from '../charset/charset';
import { EndpointKey, EndpointSpec, ENDPOINTS } from '../endpoints/endpoint-catalogue';
import { assertRequestValid } from '../endpoints/request-checker';
import {
  PaystoryError,
  PaystoryNotSentError,
  PaystoryOutcomeUnknownError,
  PaystoryUnavailableError,
} from '../errors/paystory-errors';
import { PaystoryRedactor } from '../redaction/paystory-redactor';
import { PaystorySettings } from '../paystory-settings';
import { GatewayAnswer, GatewayCallOptions } from './gateway-answer';
import { readGatewayAnswer } from './gateway-answer.reader';
import { gatewayAgents, GatewayAgents } from './gateway-agents';
import { describeExchange, GatewayExchange } from './gateway-exchange';
import { failureFromError, isTransient, TransportFailure } from './transport-failure';
import { sendableFields, WireFields } from './wire-fields';

/** Pause before retrying a read-only call, multiplied by the attempt number. */
const READ_RETRY_BACKOFF_MS = 100;

/**
 * The only code that talks HTTP to the gateway. It checks a request against the endpoint
 * catalogue, sends it in the configured charset and reads the answer as bytes.
 *
 * "No double charge" lives here: a call that moves money is sent exactly once. When its answer is
 * lost (timeout, reset, 5xx, unreadable body) it fails with {@link PaystoryOutcomeUnknownError},
 * because the gateway may have acted. Only read-only calls (GET, the §8 query) are retried.
 * Connections are kept open between requests (`keepAliveIdleMs`).
 */
@Injectable()
export class PaystoryHttpAdapter implements OnModuleDestroy {
  private readonly logger = new Logger(PaystoryHttpAdapter.name);
  private readonly agents: GatewayAgents;

  constructor(
    private readonly http: HttpService,
    private readonly settings: PaystorySettings,
    private readonly redactor: PaystoryRedactor,
  ) {
    this.agents = gatewayAgents(settings.keepAliveIdleMs);
  }

  /** Idle connections close with the module; one still carrying a request (a charge finishing during shutdown) is left to end. */
  onModuleDestroy(): void {
    for (const agent of [this.agents.httpAgent, this.agents.httpsAgent]) {
      for (const sockets of Object.values(agent.freeSockets)) sockets?.forEach((socket) => socket.destroy());
    }
  }

  /**
   * Sends one endpoint's fields (undefined values are left out, empty strings are sent).
   * @throws PaystoryRequestInvalidError before anything is sent when a field breaks the catalogue.
   * @throws PaystoryOutcomeUnknownError when a money call's answer was lost.
   * @throws PaystoryUnavailableError when the gateway was unreachable or failed on a call that moves no money.
   * @throws PaystoryNotSentError when `sendBy` had passed before the request could leave.
   */
  async send(endpoint: EndpointKey, fields: WireFields, options: GatewayCallOptions = {}): Promise<GatewayAnswer> {
    const spec = ENDPOINTS[endpoint];
    const charset = options.charset ?? this.settings.charset;
    const timeoutMs = options.timeoutMs ?? this.settings.timeoutMs;
    const wire = sendableFields(fields);
    assertRequestValid(endpoint, wire, charset);

    const attempts = isReadOnly(spec) ? 1 + this.settings.readRetries : 1;
    let previous: TransportFailure | undefined;
    for (let attempt = 1; ; attempt++) {
      // The last check before the request leaves: past the caller's deadline nothing is sent (a read
      // retry is not made: the failure before it stands).
      if (options.sendBy !== undefined && Date.now() > options.sendBy)
        throw previous ? this.toError(spec, previous) : new PaystoryNotSentError(endpoint, options.sendBy);
      const started = performance.now();
      const result = await this.exchange(spec, wire, charset, timeoutMs);
      const elapsedMs = Math.round(performance.now() - started);
      this.report(describeExchange(endpoint, result, elapsedMs, attempt));
      if (!isFailure(result)) {
        this.logAnswer(spec, wire, result, elapsedMs);
        return result;
      }
      const retrying = attempt < attempts && isTransient(result);
      this.logFailure(spec, wire, result, elapsedMs, attempt, attempts, retrying);
      if (!retrying) throw this.toError(spec, result);
      previous = result;
      await delay(READ_RETRY_BACKOFF_MS * attempt);
    }
  }

  private async exchange(
    spec: EndpointSpec,
    wire: Record<string, string>,
    charset: PaystoryCharset,
    timeoutMs: number,
  ): Promise<GatewayAnswer | TransportFailure> {
    // axios' own timeout only watches for an idle socket; this deadline bounds the whole exchange.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      // The axios instance itself, not HttpService's Observable: that one cancels every request once
      // it has completed, building (and discarding) an error with its stack trace each time.
      const response = await this.http.axiosRef.request<ArrayBuffer>({
        ...requestShape(spec, wire, charset),
        ...this.agents,
        timeout: timeoutMs,
        signal: deadline.signal,
      });
      return readGatewayAnswer(
        spec.key,
        {
          status: response.status,
          contentType: headerText(response.headers['content-type']),
          bytes: Buffer.from(response.data),
        },
        charset,
      );
    } catch (error) {
      // The axios error carries the request body and config: only its code is read, it never escapes.
      return failureFromError(error, deadline.signal.aborted, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The observer is the caller's code: a failure of it must never change what a gateway call returns. */
  private report(exchange: GatewayExchange): void {
    const observer = this.settings.onExchange;
    if (!observer) return;
    try {
      observer(exchange);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(this.redactor.text(`onExchange observer failed: ${message}`));
    }
  }

  private toError(spec: EndpointSpec, failure: TransportFailure): PaystoryError {
    const detail = this.redactor.text(failure.detail);
    if (failure.reason === 'connection_refused')
      return new PaystoryUnavailableError(spec.key, 'connection_refused', detail);
    if (spec.movesMoney) return new PaystoryOutcomeUnknownError(spec.key, failure.reason, detail);
    return new PaystoryUnavailableError(spec.key, failure.reason, detail);
  }

  private logAnswer(spec: EndpointSpec, wire: Record<string, string>, answer: GatewayAnswer, elapsedMs: number): void {
    const resultCd = String(answer.fields.resultCd);
    this.logger.log(
      this.redactor.text(
        `${describeCall(spec, wire, answer.fields)} resultCd=${resultCd} http=${answer.httpStatus} ${elapsedMs}ms`,
      ),
    );
  }

  private logFailure(
    spec: EndpointSpec,
    wire: Record<string, string>,
    failure: TransportFailure,
    elapsedMs: number,
    attempt: number,
    attempts: number,
    retrying: boolean,
  ): void {
    const next = retrying
      ? 'retrying'
      : spec.movesMoney && failure.reason !== 'connection_refused'
        ? 'outcome unknown, not retried'
        : 'giving up';
    this.logger.warn(
      this.redactor.text(
        `${describeCall(spec, wire)} failed: ${failure.reason} (${failure.detail}) ${elapsedMs}ms attempt ${attempt}/${attempts}, ${next}`,
      ),
    );
  }
}

/** Only GET requests are free of side effects at the gateway (the §8 query is the one GET). */
function isReadOnly(spec: EndpointSpec): boolean {
  return spec.method === 'GET';
}

function requestShape(spec: EndpointSpec, wire: Record<string, string>, charset: PaystoryCharset): AxiosRequestConfig {
  const common: AxiosRequestConfig = {
    method: spec.method,
    responseType: 'arraybuffer',
    // A redirected POST could be sent twice; a 3xx is treated as a failed exchange instead.
    maxRedirects: 0,
    validateStatus: () => true,
  };
  if (spec.method === 'GET') {
    return { ...common, url: `${spec.path}?${encodeForm(wire, charset)}`, headers: { Accept: 'application/json' } };
  }
  return {
    ...common,
    url: spec.path,
    data: encodeForm(wire, charset),
    transformRequest: [(body: string) => body],
    headers: {
      'Content-Type': `application/x-www-form-urlencoded; charset=${charset.toLowerCase()}`,
      Accept: 'application/json',
    },
  };
}

/** The identifiers worth a log line: endpoint, path and the order and transaction ids. Never values that are secrets or card data. */
function describeCall(spec: EndpointSpec, wire: Record<string, string>, answer: Record<string, unknown> = {}): string {
  const ordNo = wire.ordNo || textOf(answer.ordNo);
  const tid = wire.tid || textOf(answer.tid);
  return [`${spec.key} ${spec.method} ${spec.path}`, ordNo && `ordNo=${ordNo}`, tid && `tid=${tid}`]
    .filter(Boolean)
    .join(' ');
}

function isFailure(result: GatewayAnswer | TransportFailure): result is TransportFailure {
  return 'reason' in result;
}

function headerText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
