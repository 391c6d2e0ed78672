import { ENDPOINTS } from '../../endpoints/endpoint-catalogue';
import { ReceiptLink, ReceiptType } from '../paystory-client.types';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';

/** The receipt page on the admin host, as the guide's screenshot shows it (§9.2.2). */
const RECEIPT_PAGE_PATH = '/receiptSearch.html';

/**
 * §9.1.2 as the gateway's sample receipt page sends it: lowercase `mid`/`tid`, `encData` = mid +
 * key with no ediDate and no tid (NOTES item 5).
 */
export function receiptFields(
  tid: string,
  receiptType: ReceiptType,
  lang: 'ko' | 'en' | undefined,
  ctx: RequestContext,
): WireFields {
  return { mid: ctx.merchant.mid, receiptType, tid, encData: ctx.signer.receipt(ctx.merchant), lang };
}

/** The link a person opens, the fields a page posts with `receipt.js`, and the script's URL. */
export function receiptLinkFrom(form: Record<string, string>, receiptBaseUrl: string): ReceiptLink {
  return {
    url: `${receiptBaseUrl}${RECEIPT_PAGE_PATH}?${new URLSearchParams(form).toString()}`,
    form,
    scriptUrl: `${receiptBaseUrl}${ENDPOINTS.receipt.path}`,
  };
}
