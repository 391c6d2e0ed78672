import { TransactionQueryResult, TransactionRecord } from '../paystory-client.types';
import { cardSummaryFrom } from './card-summary.mapper';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';
import { wireAmount, wireCount, wireInstant, wireText } from './wire-values';

/** How a §8 query names its transaction. */
export type TransactionLookup = { tid: string } | { orderNo: string };

/**
 * §8.3: by tid, or by ordNo with `tid` sent empty and hashed as empty, as the gateway's sample
 * query page does (NOTES item 3).
 */
export function transactionQueryFields(lookup: TransactionLookup, ctx: RequestContext): WireFields {
  if ('tid' in lookup) {
    return {
      mid: ctx.merchant.mid,
      tid: lookup.tid,
      hashStr: ctx.signer.queryByTid(ctx.merchant, ctx.ediDate, lookup.tid),
      ediDate: ctx.ediDate,
    };
  }
  return {
    mid: ctx.merchant.mid,
    tid: '',
    ordNo: lookup.orderNo,
    hashStr: ctx.signer.queryByOrderNo(ctx.merchant, ctx.ediDate),
    ediDate: ctx.ediDate,
  };
}

/** §8.4 in domain names. `resultData` is read whether it arrives as an array or as JSON text. */
export function transactionQueryResultFrom(fields: Record<string, unknown>): TransactionQueryResult {
  const transactions = recordsOf(fields.resultData).map(transactionRecordFrom);
  return { count: wireCount(fields.cnt) ?? transactions.length, transactions };
}

function transactionRecordFrom(record: Record<string, unknown>): TransactionRecord {
  return {
    tid: wireText(record.tid) ?? '',
    orderNo: wireText(record.ordNo),
    resultCode: wireText(record.resultCd),
    resultMessage: wireText(record.resultMsg),
    amount: wireAmount(record.goodsAmt),
    approvalNo: wireText(record.appNo),
    approvedAt: wireInstant(record.appDtm),
    cancelled: wireText(record.cancelYN) === 'Y',
    goodsName: wireText(record.goodsName),
    card: cardSummaryFrom(record),
    raw: record,
  };
}

function recordsOf(value: unknown): Record<string, unknown>[] {
  const list = typeof value === 'string' ? parseJson(value) : value;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (item): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
