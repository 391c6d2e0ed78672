import { PaystoryCharset } from './charset/charset';
import { EndpointKey } from './endpoints/endpoint-catalogue';
import type { GatewayExchangeObserver } from './http/gateway-exchange';
import { PaystoryUnknownMerchantError } from './errors/paystory-errors';
import { PaystoryMerchant, PaystoryModuleOptions } from './paystory-options.interface';
import { DEFAULT_TIMEOUT_MS } from './paystory.constants';

const DEFAULT_READ_RETRIES = 2;
const DEFAULT_KEEP_ALIVE_IDLE_MS = 4_000;
const MID_LENGTH = 10;

/**
 * The module options, checked once at start and completed with defaults. A registration with a
 * missing or malformed option never boots: the error names the option (never a key's value).
 */
export class PaystorySettings {
  /** Base URL of the payment host, without a trailing slash. */
  readonly baseUrl: string;
  /** Base URL of the admin host that serves receipts, without a trailing slash. */
  readonly receiptBaseUrl: string;
  readonly merchants: readonly PaystoryMerchant[];
  readonly timeoutMs: number;
  readonly charset: PaystoryCharset;
  readonly readRetries: number;
  /** 0: no connection is kept between requests. */
  readonly keepAliveIdleMs: number;
  readonly onExchange?: GatewayExchangeObserver;

  private constructor(options: PaystoryModuleOptions) {
    this.baseUrl = checkedUrl('baseUrl', options.baseUrl);
    this.receiptBaseUrl =
      options.receiptBaseUrl === undefined ? this.baseUrl : checkedUrl('receiptBaseUrl', options.receiptBaseUrl);
    this.merchants = checkedMerchants(options.merchants);
    this.timeoutMs = checkedCount('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1);
    this.readRetries = checkedCount('readRetries', options.readRetries ?? DEFAULT_READ_RETRIES, 0);
    this.keepAliveIdleMs = checkedCount('keepAliveIdleMs', options.keepAliveIdleMs ?? DEFAULT_KEEP_ALIVE_IDLE_MS, 0);
    this.charset = checkedCharset(options.charset ?? 'UTF-8');
    if (options.onExchange !== undefined && typeof options.onExchange !== 'function')
      throw invalid('onExchange', 'must be a function');
    this.onExchange = options.onExchange;
  }

  /** Validates the options; throws an `Error` naming the first bad option. */
  static from(options: PaystoryModuleOptions): PaystorySettings {
    return new PaystorySettings(options);
  }

  /** The merchant called `name`, or the first configured one when no name is given. */
  merchant(endpoint: EndpointKey, name?: string): PaystoryMerchant {
    if (name === undefined) return this.merchants[0];
    const found = this.merchants.find((m) => m.name === name);
    if (!found) throw new PaystoryUnknownMerchantError(endpoint, name);
    return found;
  }

  /** The configured merchant whose MID is `mid`, if any. */
  merchantByMid(mid: string): PaystoryMerchant | undefined {
    return this.merchants.find((m) => m.mid === mid);
  }
}

function invalid(option: string, problem: string): Error {
  return new Error(`PaystoryModule option ${option} ${problem}`);
}

function checkedUrl(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(option, 'is missing: set the gateway host, e.g. https://pg.minglepay.co.kr');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(option, `is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalid(option, `must be an http(s) URL: "${value}"`);
  return value.replace(/\/+$/, '');
}

function checkedMerchants(value: unknown): PaystoryMerchant[] {
  if (!Array.isArray(value) || value.length === 0)
    throw invalid('merchants', 'is empty: configure at least one merchant with its mid and merchantKey');
  const merchants = value as PaystoryMerchant[];
  merchants.forEach((m, i) => {
    const at = `merchants[${i}]`;
    if (typeof m?.name !== 'string' || m.name.trim() === '') throw invalid(`${at}.name`, 'is missing');
    if (typeof m.mid !== 'string' || m.mid === '') throw invalid(`${at}.mid`, `is missing for merchant "${m.name}"`);
    if (m.mid.length !== MID_LENGTH)
      throw invalid(
        `${at}.mid`,
        `must be exactly ${MID_LENGTH} characters for merchant "${m.name}" (got ${m.mid.length})`,
      );
    if (typeof m.merchantKey !== 'string' || m.merchantKey.trim() === '')
      throw invalid(`${at}.merchantKey`, `is missing for merchant "${m.name}"`);
    if (merchants.findIndex((other) => other.name === m.name) !== i)
      throw invalid(`${at}.name`, `"${m.name}" is used twice`);
    // Notifications are matched to a merchant by mid, so a mid must name one merchant only.
    if (merchants.findIndex((other) => other.mid === m.mid) !== i)
      throw invalid(`${at}.mid`, `${m.mid} is configured twice`);
  });
  return merchants.map((m) => ({ name: m.name, mid: m.mid, merchantKey: m.merchantKey }));
}

function checkedCount(option: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw invalid(option, `must be a whole number of at least ${min} (got ${value})`);
  return value;
}

function checkedCharset(value: string): PaystoryCharset {
  if (value !== 'UTF-8' && value !== 'EUC-KR') throw invalid('charset', `must be UTF-8 or EUC-KR (got "${value}")`);
  return value;
}
