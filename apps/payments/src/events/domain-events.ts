import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newId } from '../database/ids';
import { insertRow } from '../database/row-statements';
import { DomainEventType } from './domain-event-type';
import { OutboxEventEntity } from './entities/outbox-event.entity';

export type InTransactionHandler = (manager: EntityManager, data: Record<string, unknown>) => Promise<void>;

/**
 * The one way to record a domain event: in the outbox, with the manager of the transaction that
 * makes the change it describes, so the event exists exactly when the change does. Other modules
 * react inside that same transaction without the emitting module knowing them (e.g. subscriptions
 * stop when their billing key is deleted). Event data never carries card data or bids.
 * Every event belongs to the tenant of the resource it is about: only that tenant's keys read it.
 */
@Injectable()
export class DomainEvents {
  private readonly handlers = new Map<DomainEventType, InTransactionHandler[]>();

  onRecorded(type: DomainEventType, handler: InTransactionHandler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  async record(
    manager: EntityManager,
    type: DomainEventType,
    data: Record<string, unknown>,
    tenantId: string,
  ): Promise<void> {
    // Not read back: the event's sequence number is the relay's business, not the writer's.
    const event: Partial<OutboxEventEntity> = {
      id: newId('evt'),
      tenantId,
      type,
      occurredAt: new Date(),
      data: JSON.stringify(data),
      publishedAt: null,
      relayClaimedUntil: null,
      relayOwnerInstanceId: null,
    };
    await insertRow(manager, OutboxEventEntity, event as OutboxEventEntity);
    for (const handler of this.handlers.get(type) ?? []) await handler(manager, data);
  }
}
