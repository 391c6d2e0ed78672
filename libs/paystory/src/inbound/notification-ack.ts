/**
 * How the merchant console says a notification counts as received (§10 "수신성공 기준"):
 * `json` — HTTP 200 with `{"resultCd":"0000"}`; `http` — any HTTP 200.
 */
export type NotificationAckMode = 'json' | 'http';

/** The answer that acknowledges a notification; write it as it is. */
export interface NotificationAck {
  status: 200;
  /** Absent when the body is empty. */
  contentType?: string;
  body: string;
}

const JSON_ACK: NotificationAck = Object.freeze({
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({ resultCd: '0000' }),
});
const HTTP_ACK: NotificationAck = Object.freeze({ status: 200, body: '' });

/** The acknowledgement of a notification in the console's mode. Send it only once the notification is stored. */
export function notificationAck(mode: NotificationAckMode): NotificationAck {
  return mode === 'json' ? JSON_ACK : HTTP_ACK;
}
