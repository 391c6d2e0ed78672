import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob, type IntervalJobSchedule } from '../../common/scheduling/interval-job';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { OutboxRelay } from './outbox-relay';

/** Every EVENTS_RELAY_INTERVAL_MS, one relay pass. */
@Injectable()
export class OutboxRelayScheduler extends IntervalJob {
  constructor(
    private readonly relay: OutboxRelay,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  protected schedule(): IntervalJobSchedule {
    return {
      name: 'outbox-relay',
      enabled: this.config.events.relayEnabled,
      intervalMs: this.config.events.relayIntervalMs,
    };
  }

  protected async work(stop: AbortSignal): Promise<undefined> {
    await this.relay.relayDue(stop);
    return undefined;
  }
}
