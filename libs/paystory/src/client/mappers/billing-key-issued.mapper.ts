import { BillingKeyIssued } from '../paystory-client.types';
import { cardSummaryFrom } from './card-summary.mapper';
import { wireAmount, wireInstant, wireText } from './wire-values';

/**
 * A successful issuance answer (§4.4 auth window, §14.4 card API) in domain names. Phone billing
 * charges at issuance (§3.1.3): its charge is reported as `payment`.
 */
export function billingKeyIssuedFrom(fields: Record<string, unknown>, bid: string): BillingKeyIssued {
  const payMethod = wireText(fields.payMethod)?.toUpperCase() === 'PHONE' ? 'PHONE' : 'CARD';
  const card = cardSummaryFrom(fields);
  const orderNo = wireText(fields.ordNo);
  const issuedAt = wireInstant(fields.appDtm);
  const tid = wireText(fields.tid);
  const amount = wireAmount(fields.amt);
  const charged = payMethod === 'PHONE' && tid !== undefined && amount !== undefined && amount > 0;
  return {
    bid,
    orderNo,
    issuedAt,
    payMethod,
    card,
    payment: charged ? { tid, orderNo: orderNo ?? '', amount, approvedAt: issuedAt, card } : undefined,
  };
}
