import type { ApprovalView, ReceivedRequest } from '@app/sandbox';
import { SubscriptionBillingService } from '../../apps/payments/src/subscription/subscription-billing.service';
import type { CreateSubscriptionRequest, Subscription, SubscriptionCharge } from '@app/payments-client';
import { expectData, type ClientCaller } from './api-client';
import { CARDS, givenActiveBillingKey } from './billing-fixtures';
import { billingKeyBid } from './database-reader';
import type { ServiceHarness } from './service-harness';

/** Harness settings for subscription tests: no interval scheduler (the test drives `runDue(now)`), no gateway rate wait. */
export const SCHEDULER_DRIVEN_BY_TEST = {
  SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
  SUBSCRIPTION_RATE_LIMIT: '10000',
} as const;

/** A Seoul wall-clock time (`2027-01-31T10:00:00`) as an instant. */
export const seoul = (wallClock: string): Date => new Date(`${wallClock}+09:00`);

export const DAY_MS = 86_400_000;

/** An ACTIVE billing key and the customer it belongs to. */
export async function givenCustomerKey(
  caller: ClientCaller,
  cardNo = CARDS.normal,
): Promise<{ customerId: string; billingKeyId: string }> {
  const key = await givenActiveBillingKey(caller, { cardNo });
  return { customerId: key.customerId, billingKeyId: key.id };
}

/** `POST /v1/subscriptions`, expecting 201. `body` overrides a monthly 9,900 KRW plan on a fresh approving card. */
export async function givenSubscription(
  caller: ClientCaller,
  body: Partial<CreateSubscriptionRequest> = {},
  cardNo = CARDS.normal,
): Promise<Subscription> {
  const owner =
    body.customerId && body.billingKeyId
      ? { customerId: body.customerId, billingKeyId: body.billingKeyId }
      : await givenCustomerKey(caller, cardNo);
  const request: CreateSubscriptionRequest = {
    amount: 9_900,
    goodsName: '프리미엄 월간 구독',
    interval: 'monthly',
    ...owner,
    ...body,
  };
  return expectData(await caller.client.POST('/v1/subscriptions', { body: request }), 201);
}

/** `count` monthly subscriptions of one customer's key, all first due at `startAt`: amounts `firstAmount`, `firstAmount + 1`, … */
export async function givenSubscriptionsDueTogether(
  caller: ClientCaller,
  key: { customerId: string; id: string },
  count: number,
  startAt: string,
  firstAmount: number,
): Promise<Subscription[]> {
  const created: Subscription[] = [];
  for (let i = 0; i < count; i++)
    created.push(
      await givenSubscription(caller, {
        customerId: key.customerId,
        billingKeyId: key.id,
        amount: firstAmount + i,
        goodsName: `구독 ${i}`,
        startAt,
      }),
    );
  return created;
}

export async function getSubscription(caller: ClientCaller, id: string): Promise<Subscription> {
  return expectData(await caller.client.GET('/v1/subscriptions/{id}', { params: { path: { id } } }), 200);
}

export async function chargesOf(caller: ClientCaller, id: string): Promise<SubscriptionCharge[]> {
  return expectData(await caller.client.GET('/v1/subscriptions/{id}/charges', { params: { path: { id } } }), 200).data;
}

/** One scheduler run at the fake time `now`, as the interval scheduler would make it. */
export function runDue(h: ServiceHarness, now: Date): Promise<number> {
  return h.service.app.get(SubscriptionBillingService).runDue(now);
}

/** Every charge request the sandbox received on the billing key. */
export async function chargeRequestsOnKey(h: ServiceHarness, billingKeyId: string): Promise<ReceivedRequest[]> {
  return h.gateway.chargesOnBid(await billingKeyBid(h.db, billingKeyId));
}

/** Every approval the sandbox holds on the billing key. */
export async function approvalsOnKey(h: ServiceHarness, billingKeyId: string): Promise<ApprovalView[]> {
  return h.gateway.approvalsOnBid(await billingKeyBid(h.db, billingKeyId));
}
