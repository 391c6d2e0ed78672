import { CANCEL_SUCCESS_CODE } from '@app/paystory/catalogue/result-codes';
import type { IssuedPayMethod } from '../ids/id-issuer.service';

/** Success codes the sandbox answers with (meanings in the library's result-code catalogue). */
export const CARD_APPROVED = '3001';
export const PHONE_APPROVED = 'A000';
export const CANCEL_SUCCESS = CANCEL_SUCCESS_CODE;
export const BILLING_KEY_ISSUED = 'F011';
export const BILLING_KEY_DELETED = 'F012';
export const QUERY_SUCCESS = '0000';
/** §12.3: no such billing key, or a deleted one. */
export const NO_SUCH_BILLING_KEY = 'F002';

export function approvalCode(payMethod: IssuedPayMethod): string {
  return payMethod === 'CARD' ? CARD_APPROVED : PHONE_APPROVED;
}
