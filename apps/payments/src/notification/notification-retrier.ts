import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { NotificationApplierService } from './notification-applier.service';

const INTERVAL_NAME = 'notification-retrier';

/** Thin schedule: applies stored notifications that are not applied yet, on the janitor's interval. */
@Injectable()
export class NotificationRetrier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationRetrier.name);
  private running: Promise<void> | undefined;

  constructor(private readonly applier: NotificationApplierService, private readonly scheduler: SchedulerRegistry, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (!this.config.janitor.enabled) return;
    this.scheduler.addInterval(INTERVAL_NAME, setInterval(() => void this.sweep(), this.config.janitor.intervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  sweep(): Promise<void> {
    this.running ??= this.applier
      .applyPending()
      .then((applied) => void (applied > 0 && this.logger.log(`Applied ${applied} stored notification(s)`)))
      .catch((error: Error) => this.logger.error(`Notification sweep failed: ${error.name}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
