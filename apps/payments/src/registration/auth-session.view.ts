import type { AuthRequestForm } from '@app/paystory';
import type { AuthSessionEntity } from '../registration/entities/auth-session.entity';

/** What a merchant page needs to open the auth window; `fields.encData` included, the merchant key never. */
export function authSessionView(session: AuthSessionEntity, form: AuthRequestForm | undefined, publicBaseUrl: string) {
  return {
    id: session.id,
    customerId: session.customerId,
    payMethod: session.payMethod,
    status: session.status,
    amount: session.amount,
    expiresAt: session.expiresAt.toISOString(),
    /** The sample registration page served by this service for this session. */
    pageUrl: `${publicBaseUrl}/billing-keys/register/${session.id}`,
    returnUrl: returnUrlOf(session.id, publicBaseUrl),
    formName: 'payInit',
    scriptUrl: form?.scriptUrl,
    actionUrl: form?.actionUrl,
    fields: form?.fields,
    billingKeyId: session.billingKeyId,
    paymentId: session.paymentId,
    failure: session.failureCode ? { code: session.failureCode, message: session.failureMessage } : null,
  };
}

export function returnUrlOf(sessionId: string, publicBaseUrl: string): string {
  return `${publicBaseUrl}/v1/billing-keys/auth-return?session=${encodeURIComponent(sessionId)}`;
}
