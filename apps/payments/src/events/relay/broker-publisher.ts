import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import type { DomainEventEnvelope } from '../event-envelope';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * `connected`: a connection is open; `failing`: the last publish failed (the relay tries again after
 * EVENTS_RELAY_RETRY_MS); `idle`: neither, e.g. before the first event. Readiness reports it.
 */
export type BrokerState = 'idle' | 'connected' | 'failing';

/**
 * Publishes domain events to RabbitMQ (EVENTS_BROKER_URL): a durable topic exchange, the event type
 * as routing key, persistent messages, and publisher confirms, so an event counts as published only
 * once the broker has taken it. The `tenant-id` header repeats the body's `tenantId`, so a consumer
 * can route or filter by tenant without parsing the body. The connection is opened on first use and dropped on any error;
 * the next delivery opens a new one.
 */
@Injectable()
export class BrokerPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(BrokerPublisher.name);
  private channel?: Promise<{ connection: ChannelModel; channel: ConfirmChannel }>;
  private connected = false;
  private lastPublishFailed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return !!this.config.events.brokerUrl;
  }

  /** Known from the deliveries themselves: reading it never opens a connection. */
  get state(): BrokerState {
    if (this.lastPublishFailed) return 'failing';
    return this.connected ? 'connected' : 'idle';
  }

  /** Publishes a batch in order and waits for the broker's confirms; throws when it did not take them all. */
  async publish(events: DomainEventEnvelope[]): Promise<void> {
    try {
      await this.send(events);
      this.lastPublishFailed = false;
    } catch (error) {
      this.lastPublishFailed = true;
      throw error;
    }
  }

  private async send(events: DomainEventEnvelope[]): Promise<void> {
    const { channel } = await this.open();
    try {
      for (const event of events) {
        channel.publish(this.config.events.brokerExchange, event.type, Buffer.from(JSON.stringify(event)), {
          persistent: true,
          contentType: 'application/json',
          messageId: event.id,
          type: event.type,
          timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
          headers: { 'tenant-id': event.tenantId },
        });
      }
      await channel.waitForConfirms();
    } catch (error) {
      await this.drop();
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drop();
  }

  private open(): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
    if (this.channel) return this.channel;
    // Only this attempt's own failure or close forgets it, never a newer connection's.
    const forget = () => {
      if (this.channel !== opening) return;
      this.channel = undefined;
      this.connected = false;
    };
    const opening = (async () => {
      const connection = await connect(this.config.events.brokerUrl ?? '', { timeout: CONNECT_TIMEOUT_MS });
      // Without listeners an 'error' event would crash the process; the next publish reconnects.
      connection.on('error', (error: Error) => this.logger.warn(`Broker connection error: ${error.message}`));
      connection.on('close', forget);
      try {
        const channel = await connection.createConfirmChannel();
        channel.on('error', (error: Error) => this.logger.warn(`Broker channel error: ${error.message}`));
        await channel.assertExchange(this.config.events.brokerExchange, 'topic', { durable: true });
        return { connection, channel };
      } catch (error) {
        await connection.close().catch(() => undefined);
        throw error;
      }
    })();
    this.channel = opening;
    // A drop (shutdown) while this was opening has already let it go: it is not connected then.
    opening.then(() => {
      if (this.channel === opening) this.connected = true;
    }, forget);
    return opening;
  }

  private async drop(): Promise<void> {
    const current = this.channel;
    this.channel = undefined;
    this.connected = false;
    await current?.then(({ connection }) => connection.close()).catch(() => undefined);
  }
}
