import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEventType } from './domain-event-type';
import { recordEvent } from './outbox';

export type InTransactionHandler = (manager: EntityManager, data: Record<string, unknown>) => Promise<void>;

/**
 * Records domain events in the outbox and lets other modules react inside the same transaction,
 * without the emitting module knowing them (e.g. subscriptions stop when their billing key is deleted).
 */
@Injectable()
export class DomainEvents {
  private readonly handlers = new Map<DomainEventType, InTransactionHandler[]>();

  onRecorded(type: DomainEventType, handler: InTransactionHandler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  async record(manager: EntityManager, type: DomainEventType, data: Record<string, unknown>): Promise<void> {
    await recordEvent(manager, type, data);
    for (const handler of this.handlers.get(type) ?? []) await handler(manager, data);
  }
}
