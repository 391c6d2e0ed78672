import { Inject, Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LessThan, Repository } from 'typeorm';
import { IntervalJob, type IntervalJobSchedule } from '../common/scheduling/interval-job';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { GatewayNotificationEntity } from './entities/gateway-notification.entity';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Hourly, where the janitor runs, deletes REJECTED notifications not delivered again for
 * PAYSTORY_NOTI_REJECTED_RETENTION_DAYS, so that whatever anonymous senders post does not pile up.
 * Accepted notifications are never deleted: they are the audit trail of what changed money state.
 */
@Injectable()
export class RejectedNotificationSweeper extends IntervalJob {
  constructor(
    @InjectRepository(GatewayNotificationEntity, PAYMENTS_DATA_SOURCE)
    private readonly notifications: Repository<GatewayNotificationEntity>,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  /** Deletes the rejected rows last delivered before the retention counted back from `now`; answers how many. */
  async sweep(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.notifications.rejectedRetentionDays * DAY_MS);
    const { affected } = await this.notifications.delete({ status: 'REJECTED', lastReceivedAt: LessThan(cutoff) });
    return affected ?? 0;
  }

  protected schedule(): IntervalJobSchedule {
    return {
      name: 'rejected-notification-sweeper',
      enabled: this.config.janitor.enabled,
      intervalMs: HOUR_MS,
      runAtStart: true,
    };
  }

  protected async work(): Promise<string | undefined> {
    const deleted = await this.sweep();
    return deleted > 0 ? `Deleted ${deleted} rejected notification(s) past their retention` : undefined;
  }
}
