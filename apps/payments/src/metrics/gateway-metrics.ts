import { Injectable } from '@nestjs/common';
import type { GatewayExchange } from '@app/paystory';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * What the gateway library tells of each exchange (its `onExchange` option, wired in GatewayModule):
 * durations by endpoint and outcome category, and result codes by endpoint; and the gateway rate's
 * slots that ran out unused (GatewayRateLimit's `onSlotExpired`).
 */
@Injectable()
export class GatewayMetrics {
  private readonly duration: Histogram<'endpoint' | 'category'>;
  private readonly resultCodes: Counter<'endpoint' | 'code'>;
  private readonly expiredSlots: Counter<'merchant'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'paystory_gateway_request_duration_seconds',
      help: "Exchanges with the gateway by endpoint and outcome: the result-code catalogue's category, timeout or unreachable",
      labelNames: ['endpoint', 'category'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
      registers: [registry],
    });
    this.resultCodes = new Counter({
      name: 'paystory_gateway_result_codes_total',
      help: 'Result codes the gateway answered, by endpoint',
      labelNames: ['endpoint', 'code'],
      registers: [registry],
    });
    this.expiredSlots = new Counter({
      name: 'paystory_gateway_rate_slots_expired_total',
      help: "Slots of the merchant's gateway rate that ran out before their request could leave (it waited for another): a busy process",
      labelNames: ['merchant'],
      registers: [registry],
    });
  }

  /** The library's observer: cheap, synchronous, never throws for a well-formed exchange. */
  readonly record = (exchange: GatewayExchange): void => {
    this.duration.observe({ endpoint: exchange.endpoint, category: exchange.outcome }, exchange.durationMs / 1000);
    if (exchange.resultCode !== undefined)
      this.resultCodes.inc({ endpoint: exchange.endpoint, code: exchange.resultCode || 'empty' });
  };

  /** GatewayRateLimit's observer of slots that ran out before their request left. */
  readonly recordExpiredSlot = (merchant: string): void => {
    this.expiredSlots.inc({ merchant });
  };
}
