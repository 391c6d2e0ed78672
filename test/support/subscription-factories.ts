import type { ApprovalView, ReceivedRequest } from '@app/sandbox';
import { DataSource } from 'typeorm';
import { BillingKeyEntity } from '../../apps/payments/src/billing/entities/billing-key.entity';
import { SubscriptionBillingService } from '../../apps/payments/src/subscription/subscription-billing.service';
import { APPROVING_CARD, expectStatus, givenActiveBillingKey, type PaymentBody } from './factories';
import type { ServiceHarness } from './service-harness';

/** Harness settings for subscription tests: no interval scheduler (the test drives `runDue(now)`), no gateway rate wait. */
export const SCHEDULER_DRIVEN_BY_TEST = { SUBSCRIPTION_SCHEDULER_ENABLED: 'false', SUBSCRIPTION_RATE_LIMIT: '10000' } as const;

/** The public shape of a subscription (CONTRACT.md "Subscriptions"), as the tests read it. */
export interface SubscriptionBody {
  id: string;
  customerId: string;
  billingKeyId: string;
  amount: number;
  goodsName: string;
  interval: 'weekly' | 'monthly' | 'yearly';
  anchorDay: number;
  startAt: string;
  status: 'ACTIVE' | 'PAST_DUE' | 'UNPAID' | 'PAUSED' | 'CANCELLED';
  statusReason: string | null;
  currentPeriod: number;
  retryAttempt: number;
  nextChargeAt: string | null;
  cancelledAt: string | null;
}

/** One attempt at charging one period, as `GET /v1/subscriptions/{id}/charges` lists it. */
export interface SubscriptionChargeBody {
  id: string;
  period: number;
  attempt: number;
  periodStart: string;
  periodEnd: string;
  orderId: string;
  status: 'CLAIMED' | 'APPROVED' | 'DECLINED' | 'UNKNOWN';
  failureCode: string | null;
  paymentId: string | null;
  amount: number | null;
  paymentStatus: PaymentBody['status'] | null;
}

/** A Seoul wall-clock time (`2027-01-31T10:00:00`) as an instant. */
export const seoul = (wallClock: string): Date => new Date(`${wallClock}+09:00`);

export const DAY_MS = 86_400_000;

/** An ACTIVE billing key and the customer it belongs to. */
export async function givenCustomerKey(h: ServiceHarness, cardNo = APPROVING_CARD): Promise<{ customerId: string; billingKeyId: string }> {
  const billingKeyId = await givenActiveBillingKey(h, cardNo);
  const key = await h.api<{ customerId: string }>('GET', `/v1/billing-keys/${billingKeyId}`);
  expectStatus(key, 200);
  return { customerId: key.body.customerId, billingKeyId };
}

/** `POST /v1/subscriptions`, expecting 201. `body` overrides a monthly 9,900 KRW plan on a fresh approving card. */
export async function givenSubscription(h: ServiceHarness, body: Record<string, unknown> = {}, cardNo = APPROVING_CARD): Promise<SubscriptionBody> {
  const owner = typeof body.billingKeyId === 'string' ? {} : await givenCustomerKey(h, cardNo);
  const response = await h.api<SubscriptionBody>('POST', '/v1/subscriptions', { amount: 9_900, goodsName: '프리미엄 월간 구독', interval: 'monthly', ...owner, ...body });
  expectStatus(response, 201);
  return response.body;
}

export async function getSubscription(h: ServiceHarness, id: string): Promise<SubscriptionBody> {
  const response = await h.api<SubscriptionBody>('GET', `/v1/subscriptions/${id}`);
  expectStatus(response, 200);
  return response.body;
}

export async function chargesOf(h: ServiceHarness, id: string): Promise<SubscriptionChargeBody[]> {
  const response = await h.api<{ data: SubscriptionChargeBody[] }>('GET', `/v1/subscriptions/${id}/charges`);
  expectStatus(response, 200);
  return response.body.data;
}

/** One scheduler run at the fake time `now`, as the interval scheduler would make it. */
export function runDue(h: ServiceHarness, now: Date): Promise<number> {
  return h.service.app.get(SubscriptionBillingService).runDue(now);
}

/** Every `/payment.doBill` the sandbox received, in order. */
export function chargeRequests(h: ServiceHarness): Promise<ReceivedRequest[]> {
  return h.sandbox<ReceivedRequest[]>('requests?endpoint=charge');
}

/** The gateway's billing key (bid) behind a billing key id: only the database and the gateway know it. */
export async function bidOf(h: ServiceHarness, billingKeyId: string): Promise<string> {
  return (await h.service.app.get(DataSource).getRepository(BillingKeyEntity).findOneByOrFail({ id: billingKeyId })).bid;
}

/** Every charge request the sandbox received on the billing key. */
export async function chargeRequestsOnKey(h: ServiceHarness, billingKeyId: string): Promise<ReceivedRequest[]> {
  const bid = await bidOf(h, billingKeyId);
  return (await chargeRequests(h)).filter((r) => r.fields.bid === bid);
}

/** Every approval the sandbox holds on the billing key. */
export async function approvalsOnKey(h: ServiceHarness, billingKeyId: string): Promise<ApprovalView[]> {
  const bid = await bidOf(h, billingKeyId);
  return (await h.sandbox<ApprovalView[]>('transactions')).filter((a) => a.bid === bid);
}

/** A domain event as `GET /v1/events` lists it. */
export interface EventBody {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** The subscription's domain events, oldest first, paging through the whole outbox. */
export async function subscriptionEvents(h: ServiceHarness, subscriptionId: string): Promise<EventBody[]> {
  const events: EventBody[] = [];
  for (let after = ''; ; ) {
    const page = await h.api<{ data: EventBody[]; next: string | null }>('GET', `/v1/events?limit=500${after ? `&after=${after}` : ''}`);
    expectStatus(page, 200);
    events.push(...page.body.data);
    if (page.body.data.length < 500 || !page.body.next) break;
    after = page.body.next;
  }
  return events.filter((e) => e.type.startsWith('subscription.') && e.data.id === subscriptionId);
}
