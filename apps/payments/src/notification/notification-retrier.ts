import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob, type IntervalJobSchedule } from '../common/scheduling/interval-job';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { NotificationApplierService } from './notification-applier.service';

/** On the janitor's interval, applies stored notifications that are not applied yet. */
@Injectable()
export class NotificationRetrier extends IntervalJob {
  constructor(
    private readonly applier: NotificationApplierService,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  protected schedule(): IntervalJobSchedule {
    return {
      name: 'notification-retrier',
      enabled: this.config.janitor.enabled,
      intervalMs: this.config.janitor.intervalMs,
    };
  }

  protected async work(): Promise<string | undefined> {
    const applied = await this.applier.applyPending();
    return applied > 0 ? `Applied ${applied} stored notification(s)` : undefined;
  }
}
