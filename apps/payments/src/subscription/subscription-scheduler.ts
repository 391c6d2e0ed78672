import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob, type IntervalJobSchedule } from '../common/scheduling/interval-job';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { SubscriptionBillingService } from './subscription-billing.service';

/** Every SUBSCRIPTION_INTERVAL_MS, one run of the billing service. */
@Injectable()
export class SubscriptionScheduler extends IntervalJob {
  constructor(
    private readonly billing: SubscriptionBillingService,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  protected schedule(): IntervalJobSchedule {
    return {
      name: 'subscription-scheduler',
      enabled: this.config.subscriptions.schedulerEnabled,
      intervalMs: this.config.subscriptions.intervalMs,
    };
  }

  protected async work(stop: AbortSignal): Promise<string | undefined> {
    const driven = await this.billing.runDue(new Date(), stop);
    return driven > 0 ? `Charged ${driven} subscription period attempt(s)` : undefined;
  }
}
