import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventEnvelope, PaymentView } from '../../../payments/src/payments-module';
import { OrdersService } from './orders.service';

/**
 * The payments module's domain events, in process. `suppressErrors: false`: a handler that fails
 * leaves the event undelivered, and the outbox relay delivers it again (docs/events.md).
 */
@Injectable()
export class OrderPaymentListener {
  constructor(private readonly orders: OrdersService) {}

  @OnEvent('payment.approved', { suppressErrors: false })
  async onApproved(event: DomainEventEnvelope<PaymentView>): Promise<void> {
    await this.orders.markPaid(event.data.orderId, event.tenantId, event.data.id);
  }

  /** A charge whose outcome was unknown, settled as declined. */
  @OnEvent('payment.declined', { suppressErrors: false })
  async onDeclined(event: DomainEventEnvelope<PaymentView>): Promise<void> {
    await this.orders.markFailed(event.data.orderId, event.tenantId);
  }
}
