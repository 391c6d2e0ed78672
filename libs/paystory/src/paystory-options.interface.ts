import { PaystoryCharset } from './charset/charset';
import type { GatewayExchangeObserver } from './http/gateway-exchange';

/** One merchant id (MID) with its key. A business may hold several: a card MID and a phone MID. */
export interface PaystoryMerchant {
  /** Name the caller picks this merchant by, e.g. `card` or `phone`. */
  name: string;
  /** The 10-character merchant id the gateway issued. */
  mid: string;
  /** The merchant key from the admin console (§2.2). A secret: never logged, never returned. */
  merchantKey: string;
}

export interface PaystoryModuleOptions {
  /** Base URL of the payment host, e.g. `https://pg.minglepay.co.kr`. */
  baseUrl: string;
  /** Base URL of the merchant admin host that serves receipts (§9); defaults to `baseUrl`. */
  receiptBaseUrl?: string;
  /** The merchants this registration can act for; the first is the default. */
  merchants: readonly PaystoryMerchant[];
  /** Per-request timeout in milliseconds (default 15 000). */
  timeoutMs?: number;
  /** Charset of request bodies and of the sizes checked against the guide (default UTF-8). */
  charset?: PaystoryCharset;
  /** Extra attempts for read-only calls (query) after a transport failure (default 2). Money never retries. */
  readRetries?: number;
  /**
   * How long an idle connection to the gateway is kept open for the next request, in milliseconds
   * (default 4 000; shortened to the server's `Keep-Alive: timeout` hint less a second). 0: a new
   * connection per request. A request is never re-sent on another connection, kept or not.
   */
  keepAliveIdleMs?: number;
  /** Told of every HTTP exchange with the gateway once it is over (endpoint, duration, outcome, result code), e.g. for metrics. */
  onExchange?: GatewayExchangeObserver;
}
