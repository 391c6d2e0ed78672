import { encodeForm, PaystorySigner, systemClock, type PaystoryCharset } from '@app/paystory';
import { SANDBOX_MERCHANTS, type ApprovalView, type FaultableEndpoint, type FaultName, type NotificationAttempt } from '@app/sandbox';
import { GatewayTestClient } from '@app/sandbox/testing/gateway-test-client';
import type { CancellationBody, PaymentBody } from './factories';
import type { ServiceHarness } from './service-harness';

export const NOTIFICATION_PATH = '/v1/notifications/paystory';

const signer = new PaystorySigner(systemClock);

/** The service's answer to one notification, as the gateway sees it. */
export interface NotificationAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A row of `gateway_notifications`, as stored. */
export interface NotificationRow {
  id: string;
  status: string;
  reason: string | null;
  tid: string | null;
  order_no: string | null;
  fields: string;
  deliveries: number;
  apply_attempts: number;
}

/** A row of `cancellations`, as stored. */
export interface CancellationRow {
  tid: string | null;
  amount: number;
  status: string;
  source: string;
}

/** One domain event as `GET /v1/events` lists it. */
export interface EventBody {
  id: string;
  type: string;
  /** The payment as it stood after the change, with its cancellations (and where each came from) when it was cancelled. */
  data: Omit<PaymentBody, 'cancellations'> & { cancellations?: (CancellationBody & { source: 'api' | 'gateway' })[] };
}

/** POSTs a notification body to the service as the gateway would. */
export async function postNotification(h: ServiceHarness, body: Uint8Array | string, contentType: string): Promise<NotificationAnswer> {
  const response = await fetch(`${h.service.url}${NOTIFICATION_PATH}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** POSTs notification fields as a form in `charset`, as the gateway does. */
export function postNotificationForm(h: ServiceHarness, fields: Record<string, string>, charset: PaystoryCharset = 'UTF-8'): Promise<NotificationAnswer> {
  return postNotification(h, encodeForm(fields, charset), `application/x-www-form-urlencoded; charset=${charset.toLowerCase()}`);
}

/** The fields with a `hashStr` made with another key than the merchant's: what a forger can produce. */
export function withForgedHash(fields: Record<string, string>): Record<string, string> {
  return { ...fields, hashStr: signer.notification({ mid: fields.mid, merchantKey: 'not-the-merchant-key' }, fields.ediDate, fields.goodsAmt) };
}

/**
 * A notification signed with the sandbox card merchant's real key (so its hash verifies) for
 * whatever transaction `fields` claims: the hash covers only mid, ediDate and goodsAmt (NOTES 4).
 */
export function signedNotification(fields: Record<string, string> & { goodsAmt: string }): Record<string, string> {
  const ediDate = fields.ediDate ?? signer.ediDate();
  return { mid: SANDBOX_MERCHANTS.card.mid, ediDate, ...fields, hashStr: signer.notification(SANDBOX_MERCHANTS.card, ediDate, fields.goodsAmt) };
}

/** A raw client of the sandbox gateway, for payments made at the gateway without the service. */
export function gatewayClient(h: ServiceHarness): GatewayTestClient {
  return new GatewayTestClient(h.gatewayUrl, SANDBOX_MERCHANTS.card);
}

/** The sandbox's own record of the approval for `orderNo` (amount, balance, cancels). */
export async function sandboxApproval(h: ServiceHarness, orderNo: string): Promise<ApprovalView> {
  const approval = (await h.sandbox<ApprovalView[]>('transactions')).find((a) => a.ordNo === orderNo);
  if (!approval) throw new Error(`The sandbox holds no approval for order ${orderNo}`);
  return approval;
}

/** The sandbox's next `count` calls of `endpoint` play `fault` (e.g. approve, then never answer). */
export async function planFault(h: ServiceHarness, endpoint: FaultableEndpoint, fault: FaultName, count = 1): Promise<void> {
  await h.sandbox('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpoint, fault, count }) });
}

/** Cancels at the sandbox's "admin console" (the whole balance without `amount`); returns the cancel's tid. */
export async function adminCancel(h: ServiceHarness, tid: string, amount?: number): Promise<string> {
  const response = await fetch(`${h.gatewayUrl}/__sandbox/admin/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tid, amount }) });
  const body = (await response.json()) as { tid?: string };
  if (response.status !== 200 || !body.tid) throw new Error(`Admin cancel answered ${response.status}: ${JSON.stringify(body)}`);
  return body.tid;
}

/** Every delivery attempt the sandbox made for the transaction `tid`. */
export async function deliveryAttempts(h: ServiceHarness, tid: string): Promise<NotificationAttempt[]> {
  return (await h.sandbox<NotificationAttempt[]>('notifications')).filter((a) => a.tid === tid);
}

/** How many transaction queries (§8) the sandbox received for `orderNo`. */
export async function queriesFor(h: ServiceHarness, orderNo: string): Promise<number> {
  return (await h.sandbox<{ fields: Record<string, string> }[]>('requests?endpoint=query')).filter((r) => r.fields.ordNo === orderNo).length;
}

/** Every event about the payment `paymentId`, oldest first, paging through `GET /v1/events`. */
export async function eventsOf(h: ServiceHarness, paymentId: string): Promise<EventBody[]> {
  const found: EventBody[] = [];
  let after = '';
  for (;;) {
    const page = await h.api<{ data: EventBody[]; next: string | null }>('GET', `/v1/events?limit=500${after ? `&after=${after}` : ''}`);
    found.push(...page.body.data.filter((e) => e.data.id === paymentId));
    if (page.body.data.length === 0 || !page.body.next) return found;
    after = page.body.next;
  }
}

/** The types of the payment's events, oldest first. */
export async function eventTypesOf(h: ServiceHarness, paymentId: string): Promise<string[]> {
  return (await eventsOf(h, paymentId)).map((e) => e.type);
}

export async function getPayment(h: ServiceHarness, id: string): Promise<PaymentBody> {
  return (await h.api<PaymentBody>('GET', `/v1/payments/${id}`)).body;
}

/** The payments the service holds for `orderId` (none, or one). */
export async function paymentsForOrder(h: ServiceHarness, orderId: string): Promise<PaymentBody[]> {
  return (await h.api<{ data: PaymentBody[] }>('GET', `/v1/payments?orderId=${encodeURIComponent(orderId)}`)).body.data;
}

/** The stored notifications of `tid`, oldest first; rejected ones are found by the tid their stored fields (JSON) claim. */
export async function notificationRows(h: ServiceHarness, tid: string): Promise<NotificationRow[]> {
  const rows = await h.db.query<NotificationRow>('SELECT * FROM gateway_notifications ORDER BY received_at');
  return rows.filter((row) => row.tid === tid || (JSON.parse(row.fields) as { tid?: string }).tid === tid);
}

export function cancellationRows(h: ServiceHarness, paymentId: string): Promise<CancellationRow[]> {
  return h.db.query<CancellationRow>('SELECT tid, amount, status, source FROM cancellations WHERE payment_id = ? ORDER BY created_at', paymentId);
}

/** Polls `probe` until it returns a value (not undefined), failing after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until every stored notification of `tid` is settled (neither RECEIVED nor awaiting confirmation). */
export function settledRows(h: ServiceHarness, tid: string, count = 1): Promise<NotificationRow[]> {
  return eventually(async () => {
    const rows = await notificationRows(h, tid);
    return rows.length >= count && rows.every((r) => r.status !== 'RECEIVED' && r.status !== 'AWAITING_CONFIRMATION') ? rows : undefined;
  }, `the notification of ${tid} to be applied`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
