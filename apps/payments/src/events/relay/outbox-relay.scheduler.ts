import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { OutboxRelay } from './outbox-relay';

const INTERVAL_NAME = 'outbox-relay';

/** The thin scheduled part of the relay: every EVENTS_RELAY_INTERVAL_MS, one pass, never two at once in an instance. */
@Injectable()
export class OutboxRelayScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayScheduler.name);
  private running: Promise<void> | undefined;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.events.relayEnabled) return;
    this.scheduler.addInterval(INTERVAL_NAME, setInterval(() => void this.pass(), this.config.events.relayIntervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  private pass(): Promise<void> {
    this.running ??= this.relay
      .relayDue()
      .then(() => undefined)
      .catch((error: Error) => this.logger.error(`Outbox relay pass failed: ${error.name}: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
