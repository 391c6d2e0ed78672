import { Module } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { InstancesModule } from '../instances/instances.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { DomainEvents } from './domain-events';
import { EventFeed } from './event-feed.service';
import { EventsController } from './events.controller';
import { BrokerPublisher } from './relay/broker-publisher';
import { OutboxRelay } from './relay/outbox-relay';
import { OutboxRelayScheduler } from './relay/outbox-relay.scheduler';

/**
 * Every domain module that records events imports this one and records them through
 * {@link DomainEvents}; the relay delivers them in process (`@OnEvent`, on the app's one
 * EventEmitter2) and to the broker when configured.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OutboxEventEntity], PAYMENTS_DATA_SOURCE),
    DatabaseModule,
    IdempotencyModule,
    InstancesModule,
  ],
  controllers: [EventsController],
  providers: [DomainEvents, EventFeed, BrokerPublisher, OutboxRelay, OutboxRelayScheduler],
  exports: [DomainEvents, OutboxRelay],
})
export class EventsModule {}
