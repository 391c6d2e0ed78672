import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newId } from '../database/ids';
import type { GuardedWrites } from '../database/guarded-writes';
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
    await insertRow(manager, OutboxEventEntity, newEvent(type, data, tenantId));
    for (const handler of this.handlers.get(type) ?? []) await handler(manager, data);
  }

  /**
   * As {@link record}, among a change's guarded writes (written only if the change is): for an event
   * no module reacts to in the transaction, since nothing can be read there.
   */
  recordIn(writes: GuardedWrites, type: DomainEventType, data: Record<string, unknown>, tenantId: string): void {
    if (this.handlers.has(type)) throw new Error(`${type} has handlers in the transaction: record it with its manager`);
    writes.insert(OutboxEventEntity, newEvent(type, data, tenantId));
  }
}

/** Not read back: the event's sequence number is the relay's business, not the writer's. */
function newEvent(type: DomainEventType, data: Record<string, unknown>, tenantId: string): OutboxEventEntity {
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
  return event as OutboxEventEntity;
}
