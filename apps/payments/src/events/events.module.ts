import { Global, Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { DomainEvents } from './domain-events';
import { EventFeed } from './event-feed.service';
import { EventsController } from './events.controller';
import { BrokerPublisher } from './relay/broker-publisher';
import { OutboxRelay } from './relay/outbox-relay';
import { OutboxRelayScheduler } from './relay/outbox-relay.scheduler';

/**
 * Global: every domain module records its events through {@link DomainEvents}; the relay delivers
 * them in process (`@OnEvent`, EventEmitterModule in AppModule) and to the broker when configured.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEventEntity], PAYMENTS_DATA_SOURCE)],
  controllers: [EventsController],
  providers: [DomainEvents, EventFeed, BrokerPublisher, OutboxRelay, OutboxRelayScheduler],
  exports: [DomainEvents, OutboxRelay],
})
export class EventsModule {}
