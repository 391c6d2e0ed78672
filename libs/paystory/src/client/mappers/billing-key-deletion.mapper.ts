import { BillingKeyDeleted } from '../paystory-client.types';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';
import { wireInstant, wireText } from './wire-values';

/** §6.3: delete a billing key; `encData` signs mid + ediDate + bid. */
export function deleteBillingKeyFields(bid: string, ctx: RequestContext): WireFields {
  return {
    bid,
    mid: ctx.merchant.mid,
    ediDate: ctx.ediDate,
    encData: ctx.signer.deleteBillingKey(ctx.merchant, ctx.ediDate, bid),
  };
}

/** §6.4 in domain names. */
export function billingKeyDeletedFrom(fields: Record<string, unknown>, bid: string): BillingKeyDeleted {
  return { bid: wireText(fields.bid) ?? bid, deletedAt: wireInstant(fields.appDtm) };
}
