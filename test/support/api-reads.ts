import type { Payment } from '@app/payments-client';
import type { EventBody, PaymentBody } from './api-bodies';
import { expectData, type ClientCaller } from './api-client';

/** The payment as `GET /v1/payments/{id}` answers it now. */
export async function getPayment(caller: ClientCaller, id: string): Promise<Payment> {
  return expectData(await caller.client.GET('/v1/payments/{id}', { params: { path: { id } } }), 200);
}

/** The payments the service holds for `orderId` (none, or one). */
export async function paymentsForOrder(caller: ClientCaller, orderId: string): Promise<Payment[]> {
  return expectData(await caller.client.GET('/v1/payments', { params: { query: { orderId } } }), 200).data;
}

/** Every event about the payment or subscription `id`, oldest first, paging through `GET /v1/events`. */
export async function eventsOf<D extends { id: string } = PaymentBody>(
  caller: ClientCaller,
  id: string,
): Promise<EventBody<D>[]> {
  const found: EventBody<D>[] = [];
  for (let after: string | undefined; ;) {
    const page = expectData(await caller.client.GET('/v1/events', { params: { query: { limit: 500, after } } }), 200);
    // openapi.json leaves an event's `data` open (a payment or a subscription): the caller says which.
    found.push(...(page.data.filter((e) => e.data.id === id) as unknown as EventBody<D>[]));
    if (page.data.length === 0 || !page.next) return found;
    after = page.next;
  }
}

/** The types of the events about `id`, oldest first. */
export async function eventTypesOf(caller: ClientCaller, id: string): Promise<string[]> {
  return (await eventsOf(caller, id)).map((e) => e.type);
}
