import type { EventBody, PaymentBody } from './api-bodies';
import { expectStatus, type ApiCaller } from './api-client';

/** The payment as `GET /v1/payments/{id}` answers it now. */
export async function getPayment(caller: ApiCaller, id: string): Promise<PaymentBody> {
  const response = await caller.api<PaymentBody>('GET', `/v1/payments/${id}`);
  expectStatus(response, 200);
  return response.body;
}

/** The payments the service holds for `orderId` (none, or one). */
export async function paymentsForOrder(caller: ApiCaller, orderId: string): Promise<PaymentBody[]> {
  const response = await caller.api<{ data: PaymentBody[] }>(
    'GET',
    `/v1/payments?orderId=${encodeURIComponent(orderId)}`,
  );
  expectStatus(response, 200);
  return response.body.data;
}

/** Every event about the payment or subscription `id`, oldest first, paging through `GET /v1/events`. */
export async function eventsOf<D extends { id: string } = PaymentBody>(
  caller: ApiCaller,
  id: string,
): Promise<EventBody<D>[]> {
  const found: EventBody<D>[] = [];
  for (let after = ''; ;) {
    const page = await caller.api<{ data: EventBody<D>[]; next: string | null }>(
      'GET',
      `/v1/events?limit=500${after ? `&after=${after}` : ''}`,
    );
    expectStatus(page, 200);
    found.push(...page.body.data.filter((e) => e.data.id === id));
    if (page.body.data.length === 0 || !page.body.next) return found;
    after = page.body.next;
  }
}

/** The types of the events about `id`, oldest first. */
export async function eventTypesOf(caller: ApiCaller, id: string): Promise<string[]> {
  return (await eventsOf(caller, id)).map((e) => e.type);
}
