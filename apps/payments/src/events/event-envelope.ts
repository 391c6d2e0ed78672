import { DomainEventType } from './domain-event-type';
import { OutboxEventEntity } from './entities/outbox-event.entity';

/**
 * A domain event as consumers receive it: from `GET /v1/events`, in process and from the broker
 * alike (CONTRACT.md "Events"). `sequence` orders the events of one service database; `tenantId`
 * is the tenant of the resource the event is about.
 */
export interface DomainEventEnvelope<D = Record<string, unknown>> {
  id: string;
  tenantId: string;
  type: DomainEventType;
  sequence: number;
  occurredAt: string;
  data: D;
}

export function eventEnvelope(event: OutboxEventEntity): DomainEventEnvelope {
  return {
    id: event.id,
    tenantId: event.tenantId,
    type: event.type as DomainEventType,
    sequence: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    data: JSON.parse(event.data) as Record<string, unknown>,
  };
}
