import type { Ledger, LedgerRow } from '@app/sandbox';
import type { SubscriptionBody } from '../support/api-bodies';
import { expectData } from '../support/api-client';
import { billingKeyBid } from '../support/database-reader';
import { sleep } from '../support/waiting';
import type { EndState, HeldPayment, RunRecord } from './run-record';
import type { FaultTarget } from './target';

/** Each drain pass moves the scheduler's clock on by this much: an attempt whose payment was unknown is looked at again. */
const SCHEDULER_STEP_MS = 60_000;
const POLL_MS = 200;

/**
 * After the steps: lets the service settle everything the faults left open, as its own jobs
 * would — the janitor (resolvers), the notification retrier and the scheduler, in process, or the
 * child process's own — and waits out the gateway's late processing. Then cancels the run's
 * subscriptions (so that other schedules' scheduler runs leave them alone) and settles once more.
 * Ends when nothing is unsettled or `budgetMs` has passed: what is still open then is for the
 * invariants to judge.
 */
export async function drain(target: FaultTarget, record: RunRecord, budgetMs: number): Promise<void> {
  const deadline = Date.now() + budgetMs;
  const subscriptionsActive = record.subscribeKeys.size > 0;
  await settle(target, record, deadline, subscriptionsActive);
  if (subscriptionsActive) {
    await cancelSubscriptions(target, record).catch(async () => {
      // The process died meanwhile (its scheduler reached the kill point): once more on the new one.
      if (await target.recover()) record.kills++;
      await cancelSubscriptions(target, record);
    });
    await settle(target, record, deadline, false);
  }
}

async function cancelSubscriptions(target: FaultTarget, record: RunRecord): Promise<void> {
  for (const s of await subscriptionsOf(target, record)) {
    if (!['CANCELLED', 'UNPAID'].includes(s.status))
      await target.client.POST('/v1/subscriptions/{id}/cancel', { params: { path: { id: s.id } } });
  }
}

async function settle(target: FaultTarget, record: RunRecord, deadline: number, runScheduler: boolean): Promise<void> {
  for (;;) {
    // A process killed outside any call (its scheduler reached the kill point) is found here.
    if (await target.recover()) record.kills++;
    await target.runJanitor().catch(() => undefined);
    if (runScheduler && target.runDue) {
      record.virtualNow = new Date(record.virtualNow.getTime() + SCHEDULER_STEP_MS);
      await target.runDue(record.virtualNow).catch(() => undefined);
    }
    const lateDone = Date.now() >= record.lateUntil && (await heldBackAtGateway(target, record)) === 0;
    if (lateDone && (await isSettled(target, record))) {
      // Whatever the last late processing or notification changed is seen by one more pass.
      await sleep(POLL_MS);
      await target.runJanitor().catch(() => undefined);
      if (await isSettled(target, record)) return;
    }
    if (Date.now() >= deadline) return;
    await sleep(POLL_MS);
  }
}

/**
 * Requests of the run's late orders the gateway took and has not processed yet, and their
 * notifications still on their way: a late approval reaches the service by its notification,
 * after the processing itself (a drain that stopped in between judged the service before it could know).
 */
async function heldBackAtGateway(target: FaultTarget, record: RunRecord): Promise<number> {
  let held = 0;
  for (const orderId of record.lateOrders) {
    const response = await fetch(`${target.gatewayUrl}/__sandbox/ledger?ordNo=${encodeURIComponent(orderId)}`);
    const ledger = (await response.json()) as Ledger;
    held += ledger.pending.length + ledger.notifying.length;
  }
  return held;
}

/**
 * Read from the database (cheaper than the API while polling): every payment and cancel of the run's
 * customers settled or flagged. A row still PENDING is not at rest even on a flagged payment: it is
 * in flight, or waiting to count as abandoned, and the resolver has not asked about it yet (a
 * payment flagged for one cancel the gateway never showed may hold another the gateway did apply).
 */
async function isSettled(target: FaultTarget, record: RunRecord): Promise<boolean> {
  const customers = [...record.cards.values()].map((c) => c.customerId);
  if (customers.length === 0) return true;
  const marks = customers.map(() => '?').join(', ');
  try {
    const open = await target.db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM payments p WHERE p.customer_id IN (${marks}) AND (
        (NOT p.needs_attention AND (p.status IN ('PENDING', 'UNKNOWN') OR EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id AND c.status IN ('PENDING', 'UNKNOWN'))))
        OR p.status = 'PENDING'
        OR EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = p.id AND c.status = 'PENDING'))`,
      ...customers,
    );
    return open[0].n === 0;
  } catch {
    return false; // the database being migrated by a restarting service
  }
}

/** What the service holds now for the run's customers, and what the gateway holds on their keys. */
export async function readEndState(target: FaultTarget, record: RunRecord): Promise<EndState> {
  const payments = await heldPayments(target, record);
  const subscriptions = await Promise.all(
    (await subscriptionsOf(target, record)).map(async (s) => ({
      ...s,
      charges: expectData(
        await target.client.GET('/v1/subscriptions/{id}/charges', { params: { path: { id: s.id } } }),
        200,
      ).data,
    })),
  );
  const bids = new Set(await Promise.all([...record.cards.values()].map((card) => billingKeyBid(target.db, card.id))));
  const orders = new Set([
    ...record.orders.keys(),
    ...payments.map((p) => p.orderId),
    ...subscriptions.flatMap((s) => s.charges.map((c) => c.orderId)),
  ]);
  const ledger = await target.gateway.ledger();
  const mine = (row: { ordNo?: string; bid?: string }) =>
    (row.ordNo !== undefined && orders.has(row.ordNo)) || (row.bid !== undefined && bids.has(row.bid));
  return {
    payments,
    subscriptions,
    ledger: ledger.orders.filter(mine) as LedgerRow[],
    pendingAtGateway: ledger.pending.filter(mine).length,
  };
}

async function heldPayments(target: FaultTarget, record: RunRecord): Promise<HeldPayment[]> {
  const held: HeldPayment[] = [];
  for (const { customerId } of record.cards.values()) {
    const listed = expectData(
      await target.client.GET('/v1/payments', { params: { query: { customerId, limit: 200 } } }),
      200,
    );
    for (const { id } of listed.data) {
      const payment = expectData(await target.client.GET('/v1/payments/{id}', { params: { path: { id } } }), 200);
      // A single payment carries its cancellations (a list does not).
      if (!payment.cancellations) throw new Error(`GET /v1/payments/${id} answered without its cancellations`);
      held.push({ ...payment, cancellations: payment.cancellations });
    }
  }
  return held;
}

async function subscriptionsOf(target: FaultTarget, record: RunRecord): Promise<SubscriptionBody[]> {
  const found: SubscriptionBody[] = [];
  for (const customerId of record.subscribeKeys.keys())
    found.push(
      ...expectData(await target.client.GET('/v1/subscriptions', { params: { query: { customerId } } }), 200).data,
    );
  return found;
}
