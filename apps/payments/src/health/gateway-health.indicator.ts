import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';

const GATEWAY_PROBE_TIMEOUT_MS = 3_000;

/**
 * The gateway is reachable when its host gives any HTTP answer within a short timeout: this checks
 * the network path, not an endpoint (a HEAD of the base URL moves nothing). The result names the
 * failure's code only, never the URL, which could carry credentials.
 */
@Injectable()
export class GatewayHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  check<const Key extends string>(key: Key) {
    const baseUrl = this.config.paystory.baseUrl;
    return this.indicators
      .check(key)
      .attempt(async ({ signal }) => {
        if (!baseUrl) throw new Error('no gateway is configured');
        await anyAnswer(baseUrl, signal).catch((error: unknown) => {
          if (signal.aborted) throw error; // terminus reports its own timeout
          throw new Error(`unreachable (${failureCode(error)})`);
        });
      })
      .withTimeout(GATEWAY_PROBE_TIMEOUT_MS);
  }
}

/**
 * A HEAD request that resolves on any answer. Node's own client, not fetch: fetch refuses ports the
 * browsers block (the spec's "bad ports") and hides the socket's error code.
 */
function anyAnswer(url: string, signal: AbortSignal): Promise<void> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    request(url, { method: 'HEAD', signal }, (response) => {
      response.resume();
      resolve();
    })
      .on('error', reject)
      .end();
  });
}

/** The socket's code (ECONNREFUSED, ENOTFOUND…), never the message, which names the host. */
function failureCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'no answer';
}
