import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { DomainEvents } from './domain-events';
import { EventsController } from './events.controller';

/** Global: every domain module records its events through {@link DomainEvents}. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEventEntity])],
  controllers: [EventsController],
  providers: [DomainEvents],
  exports: [DomainEvents],
})
export class EventsModule {}
