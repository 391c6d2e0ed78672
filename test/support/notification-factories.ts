import { encodeForm, PaystorySigner, systemClock, type PaystoryCharset } from '@app/paystory';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { GatewayTestClient } from '@app/sandbox/testing/gateway-test-client';
import type { ServiceHarness } from './service-harness';
import { eventually } from './waiting';

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

/** POSTs a notification body to the service as the gateway would (`headers`: e.g. a proxy's X-Forwarded-For). */
export async function postNotification(
  h: ServiceHarness,
  body: Uint8Array | string,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<NotificationAnswer> {
  const response = await fetch(`${h.service.url}${NOTIFICATION_PATH}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** POSTs notification fields as a form in `charset`, as the gateway does. */
export function postNotificationForm(
  h: ServiceHarness,
  fields: Record<string, string>,
  charset: PaystoryCharset = 'UTF-8',
  headers: Record<string, string> = {},
): Promise<NotificationAnswer> {
  return postNotification(
    h,
    encodeForm(fields, charset),
    `application/x-www-form-urlencoded; charset=${charset.toLowerCase()}`,
    headers,
  );
}

/** The fields with a `hashStr` made with another key than the merchant's: what a forger can produce. */
export function withForgedHash(fields: Record<string, string>): Record<string, string> {
  return {
    ...fields,
    hashStr: signer.notification(
      { mid: fields.mid, merchantKey: 'not-the-merchant-key' },
      fields.ediDate,
      fields.goodsAmt,
    ),
  };
}

/**
 * A notification signed with the sandbox card merchant's real key (so its hash verifies) for
 * whatever transaction `fields` claims: the hash covers only mid, ediDate and goodsAmt (NOTES 4).
 */
export function signedNotification(fields: Record<string, string> & { goodsAmt: string }): Record<string, string> {
  const ediDate = fields.ediDate ?? signer.ediDate();
  return {
    mid: SANDBOX_MERCHANTS.card.mid,
    ediDate,
    ...fields,
    hashStr: signer.notification(SANDBOX_MERCHANTS.card, ediDate, fields.goodsAmt),
  };
}

/** A correctly signed card approval notification for an order the sandbox approved; `ediDate` defaults to now. */
export function approvalNotification(
  approval: { tid: string; ordNo: string; amount: number },
  ediDate?: string,
): Record<string, string> {
  return signedNotification({
    tid: approval.tid,
    oTid: approval.tid,
    ordNo: approval.ordNo,
    goodsAmt: String(approval.amount),
    resultCd: '3001',
    cancelYN: 'N',
    payMethod: 'CARD',
    ...(ediDate ? { ediDate } : {}),
  });
}

/** A raw client of the sandbox gateway, for payments made at the gateway without the service. */
export function gatewayClient(h: ServiceHarness): GatewayTestClient {
  return new GatewayTestClient(h.gatewayUrl, SANDBOX_MERCHANTS.card);
}

/** The stored notifications of `tid`, oldest first; rejected ones are found by the tid their stored fields (JSON) claim. */
export async function notificationRows(h: ServiceHarness, tid: string): Promise<NotificationRow[]> {
  const rows = await h.db.query<NotificationRow>('SELECT * FROM gateway_notifications ORDER BY received_at');
  return rows.filter((row) => row.tid === tid || (JSON.parse(row.fields) as { tid?: string }).tid === tid);
}

/** Waits until every stored notification of `tid` is settled (neither RECEIVED nor awaiting confirmation). */
export function settledRows(h: ServiceHarness, tid: string, count = 1): Promise<NotificationRow[]> {
  return eventually(
    () => notificationRows(h, tid),
    (rows) =>
      rows.length >= count && rows.every((r) => r.status !== 'RECEIVED' && r.status !== 'AWAITING_CONFIRMATION'),
  );
}
