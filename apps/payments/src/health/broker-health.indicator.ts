import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { OutboxRelay } from '../events/relay/outbox-relay';

/**
 * The broker (EVENTS_BROKER_URL) as the outbox relay's deliveries left it: degraded while the last
 * publish failed, up when connected or not yet needed. It opens no connection of its own.
 *
 * Degraded, not down: readiness stays 200. Events wait in the outbox and go out once the broker is
 * back, and payments do not need it (docs/deployment.md); a broker outage would otherwise take every
 * instance out of the load balancer at once.
 */
@Injectable()
export class BrokerHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly relay: OutboxRelay,
  ) {}

  /** Whether there is a broker to report on. */
  get configured(): boolean {
    return this.relay.brokerState !== undefined;
  }

  check<const Key extends string>(key: Key) {
    const state = this.relay.brokerState;
    const session = this.indicators.check(key);
    return state === 'failing'
      ? session.degraded({ state, message: 'the last publish failed; events wait in the outbox and are retried' })
      : session.up({ state });
  }
}
