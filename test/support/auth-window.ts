import { encodeForm } from '@app/paystory/charset/charset';
import type { AuthSession, CreateAuthSessionRequest } from '@app/payments-client';
import { expectData, type ClientCaller } from './api-client';

/** Posts a form as a person's browser does (charset only in its `charSet` field), without an API key; the page it answers. */
export async function browserPost(url: string, fields: Record<string, string>): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeForm(fields, 'UTF-8'),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

/**
 * A person goes through a registration session's auth window (§4.1 form, their phone number), whose
 * result is posted to the session's returnUrl (§4.2); the page the service answers with.
 */
export async function registerInAuthWindow(session: Pick<AuthSession, 'id' | 'actionUrl' | 'fields'>): Promise<string> {
  if (!session.actionUrl || !session.fields) throw new Error(`The session ${session.id} holds no form`);
  const windowPage = await browserPost(session.actionUrl, session.fields);
  const orderKey = /name="orderKey" value="([0-9a-f]+)"/.exec(windowPage)?.[1] ?? '';
  const resultPage = await browserPost(`${session.actionUrl}/authorize`, { orderKey, phone: '01098765432' });
  const delivered = /\ndeliver\((\{.*\})\);\n/.exec(resultPage)?.[1];
  if (!delivered) throw new Error('the auth window delivered no result');
  const result = JSON.parse(delivered) as { returnUrl: string; data: Record<string, string> };
  return browserPost(result.returnUrl, result.data);
}

/** A registration session with the auth window's form, which every session opened for a browser holds. */
export type OpenedAuthSession = AuthSession & { actionUrl: string; fields: Record<string, string> };

/** `POST /v1/billing-keys/auth-sessions` (201) for a customer: by default a card registration named 정기결제 등록. */
export async function openAuthSession(
  caller: ClientCaller,
  request: Pick<CreateAuthSessionRequest, 'customerId'> & Partial<CreateAuthSessionRequest>,
): Promise<OpenedAuthSession> {
  const session = expectData(
    await caller.client.POST('/v1/billing-keys/auth-sessions', {
      body: { payMethod: 'CARD', buyerName: '홍길동', buyerTel: '01012345678', goodsName: '정기결제 등록', ...request },
    }),
    201,
  );
  const { actionUrl, fields } = session;
  if (!actionUrl || !fields)
    throw new Error(`Expected the auth window's form in the session: ${JSON.stringify(session)}`);
  return { ...session, actionUrl, fields };
}
