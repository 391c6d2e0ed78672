import { randomUUID } from 'node:crypto';
import { OutboxEventEntity } from '../../apps/payments/src/events/entities/outbox-event.entity';

/** An outbox row not yet published, for tests that write rows of their own (guarded writes, named statements). */
export function unpublishedEvent(data = '{}'): OutboxEventEntity {
  return Object.assign(new OutboxEventEntity(), {
    id: `evt_${randomUUID()}`.slice(0, 40),
    tenantId: 'default',
    type: 'payment.approved',
    occurredAt: new Date(),
    data,
    publishedAt: null,
    relayClaimedUntil: null,
    relayOwnerInstanceId: null,
  });
}
