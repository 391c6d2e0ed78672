import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob, type IntervalJobSchedule } from '../../common/scheduling/interval-job';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { GatewayRateLimit } from '../../gateway/rate-limit/gateway-rate-limit';
import { IdempotencyStore } from '../../idempotency/idempotency.store';
import { CancelResolverService } from './cancel-resolver.service';
import { PaymentResolverService } from './payment-resolver.service';

/**
 * Every JANITOR_INTERVAL_MS (and once at start, so a restarted instance settles at once what its
 * predecessor left): settles due charges and cancels, purges expired idempotency keys and the
 * gateway rate's old windows (so that no charge spends a statement on them). Across instances the
 * resolvers' conditional claims keep them apart.
 */
@Injectable()
export class PaymentJanitor extends IntervalJob {
  constructor(
    private readonly resolver: PaymentResolverService,
    private readonly cancelResolver: CancelResolverService,
    private readonly idempotency: IdempotencyStore,
    private readonly gatewayRate: GatewayRateLimit,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(registry);
  }

  protected schedule(): IntervalJobSchedule {
    return {
      name: 'payment-janitor',
      enabled: this.config.janitor.enabled,
      intervalMs: this.config.janitor.intervalMs,
      runAtStart: true,
    };
  }

  protected async work(stop: AbortSignal): Promise<string | undefined> {
    const looked =
      (await this.resolver.resolveDue(new Date(), stop)) + (await this.cancelResolver.resolveDue(new Date(), stop));
    await this.idempotency.purgeExpired();
    await this.gatewayRate.forgetOldWindows();
    return looked > 0 ? `Looked at ${looked} unresolved charge(s) and cancel(s)` : undefined;
  }
}
