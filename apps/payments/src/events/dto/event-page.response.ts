import { ApiProperty } from '@nestjs/swagger';
import { enumValues } from '../../common/openapi/enum-values';
import type { DomainEventType } from '../domain-event-type';
import type { DomainEventEnvelope } from '../event-envelope';

const EVENT_TYPES = enumValues<DomainEventType>({
  'billing_key.issued': true,
  'billing_key.deleted': true,
  'payment.approved': true,
  'payment.declined': true,
  'payment.unknown': true,
  'payment.cancelled': true,
  'payment.partially_cancelled': true,
  'payment.late_approval_cancelled': true,
  'reconciliation.mismatch': true,
  'subscription.created': true,
  'subscription.charged': true,
  'subscription.past_due': true,
  'subscription.unpaid': true,
  'subscription.cancelled': true,
});

/** A domain event as consumers receive it (CONTRACT.md "Events"), from this page, in process and from the broker. */
export class DomainEventResponse implements DomainEventEnvelope {
  @ApiProperty({ type: String, example: 'evt_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d' })
  id: string;

  @ApiProperty({ type: String, example: 'default', description: 'The tenant of the resource the event is about' })
  tenantId: string;

  @ApiProperty({ enum: EVENT_TYPES })
  type: DomainEventType;

  @ApiProperty({ type: Number, description: 'Orders the events of one service database' })
  sequence: number;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The resource as it was then (a payment, billing key or subscription view)',
  })
  data: Record<string, unknown>;
}

export class EventPageResponse {
  @ApiProperty({ type: () => [DomainEventResponse], description: 'Oldest first' })
  data: DomainEventResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page' })
  next: string | null;
}
