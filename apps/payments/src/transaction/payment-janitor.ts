import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { CancelResolverService } from './cancel-resolver.service';
import { PaymentResolverService } from './payment-resolver.service';

const INTERVAL_NAME = 'payment-janitor';

/**
 * The thin scheduled part: on an interval (JANITOR_INTERVAL_MS) it asks the resolver to settle
 * due charges and purges expired idempotency keys. Sweeps never overlap within an instance;
 * across instances the resolver's conditional claims keep them apart.
 */
@Injectable()
export class PaymentJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PaymentJanitor.name);
  private running: Promise<void> | undefined;

  constructor(
    private readonly resolver: PaymentResolverService,
    private readonly cancelResolver: CancelResolverService,
    private readonly idempotency: IdempotencyStore,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.janitor.enabled) return;
    this.scheduler.addInterval(INTERVAL_NAME, setInterval(() => void this.sweep(), this.config.janitor.intervalMs));
    void this.sweep(); // a restarted instance settles what its predecessor left at once
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  sweep(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const looked = (await this.resolver.resolveDue()) + (await this.cancelResolver.resolveDue());
        if (looked > 0) this.logger.log(`Looked at ${looked} unresolved charge(s) and cancel(s)`);
        await this.idempotency.purgeExpired();
      } catch (error) {
        this.logger.error(`Janitor sweep failed: ${(error as Error).name}: ${(error as Error).message}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
