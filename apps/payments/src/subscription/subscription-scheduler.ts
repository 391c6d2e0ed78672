import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { SubscriptionBillingService } from './subscription-billing.service';

const INTERVAL_NAME = 'subscription-scheduler';

/** The thin scheduled part: every SUBSCRIPTION_INTERVAL_MS, one run of the billing service; runs never overlap in an instance. */
@Injectable()
export class SubscriptionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SubscriptionScheduler.name);
  private running: Promise<number> | undefined;

  constructor(private readonly billing: SubscriptionBillingService, private readonly scheduler: SchedulerRegistry, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (!this.config.subscriptions.schedulerEnabled) return;
    this.scheduler.addInterval(INTERVAL_NAME, setInterval(() => void this.tick(), this.config.subscriptions.intervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  tick(): Promise<number> {
    this.running ??= this.billing
      .runDue()
      .then((driven) => {
        if (driven > 0) this.logger.log(`Charged ${driven} subscription period attempt(s)`);
        return driven;
      })
      .catch((error: Error) => {
        this.logger.error(`Subscription run failed: ${error.name}: ${error.message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
