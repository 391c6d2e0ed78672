import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob, type IntervalJobSchedule } from '../common/scheduling/interval-job';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { databaseOutage } from '../common/errors/database-outage';
import { InstanceLiveness } from './instance-liveness';

/**
 * Every INSTANCE_HEARTBEAT_MS, this instance's heartbeat ({@link InstanceLiveness.beat}). The first
 * is written before the application has started, so that the instance is alive before it claims
 * anything. It keeps beating through the drain of a graceful shutdown, while the calls in flight
 * finish under their claims; {@link leave} ends it once they have.
 */
@Injectable()
export class InstanceHeartbeat extends IntervalJob {
  constructor(
    private readonly liveness: InstanceLiveness,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  protected schedule(): IntervalJobSchedule {
    return { name: 'instance-heartbeat', enabled: true, intervalMs: this.config.instances.heartbeatMs };
  }

  protected async work(): Promise<undefined> {
    await this.liveness.beat();
    // A write that went through: the database answers again, if requests were refused for it.
    databaseOutage.answered();
  }

  override async onApplicationBootstrap(): Promise<void> {
    await this.runNow();
    super.onApplicationBootstrap();
  }

  /** No heartbeat any more, and this instance's row goes: whatever it still holds is free for the others at once. */
  async leave(): Promise<void> {
    await this.stop();
    // Not fatal to the shutdown: a row left behind goes stale and frees the claims INSTANCE_DEAD_AFTER_MS later.
    await this.liveness
      .forget()
      .catch((error: Error) =>
        this.logger.warn(`Could not remove this instance's heartbeat row: ${error.name}: ${error.message}`),
      );
  }
}
