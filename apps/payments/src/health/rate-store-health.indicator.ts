import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { WINDOW_COUNTER, type WindowCounter } from '../gateway/rate-limit/window-counter';

/**
 * The Redis the gateway rate is counted in (PAYSTORY_RATE_LIMIT_REDIS_URL), when there is one: up
 * when it answers a PING, degraded when not. Degraded, not down: readiness stays 200, because reads
 * and the gateway's notifications need no slot, and every instance shares the one Redis (taking them
 * all out of the load balancer at once would refuse the notifications too). Requests to the gateway
 * are answered 503 meanwhile, having done nothing (docs/deployment.md).
 */
@Injectable()
export class RateStoreHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(WINDOW_COUNTER) private readonly counter: WindowCounter,
  ) {}

  /** Whether the rate is counted in Redis, the one store with a server of its own (else the database, checked already). */
  get configured(): boolean {
    return this.counter.ping !== undefined;
  }

  async check<const Key extends string>(key: Key) {
    const session = this.indicators.check(key);
    return (await this.counter.ping?.())
      ? session.up({ store: 'redis' })
      : session.degraded({
          store: 'redis',
          message: 'Redis does not answer; requests to the gateway are refused with 503 until it does',
        });
  }
}
