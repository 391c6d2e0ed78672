import { EntityManager } from 'typeorm';
import { newId } from '../database/ids';
import { DomainEventType } from './domain-event-type';
import { OutboxEventEntity } from './entities/outbox-event.entity';

/**
 * Writes a domain event with the manager of the transaction that changes the state it describes,
 * so the event exists exactly when the change does. Event data never carries card data or bids.
 */
export async function recordEvent(manager: EntityManager, type: DomainEventType, data: Record<string, unknown>, occurredAt = new Date()): Promise<void> {
  await manager.insert(OutboxEventEntity, { id: newId('evt'), type, occurredAt, data: JSON.stringify(data), publishedAt: null, relayClaimedUntil: null });
}
