import { ResultCategory } from '../catalogue/result-category';
import { PaystoryCharset } from '../charset/charset';
import { VatAmounts } from '../vat/vat-amounts';

export type { VatAmounts } from '../vat/vat-amounts';

/** Which configured merchant a call acts for; the first configured merchant when omitted. */
export interface MerchantChoice {
  merchant?: string;
}

/** For calls that reach the gateway: the merchant, and a deadline other than the module's. */
export interface CallOptions extends MerchantChoice {
  /** Deadline for this call in ms, instead of the module's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * The last instant (epoch ms, `Date.now()`'s clock) at which the request may leave: past it the
   * call sends nothing and throws `PaystoryNotSentError`. For a caller whose permission to send
   * ends, e.g. a slot of the gateway's rate limit that counts only in the second it was taken for.
   */
  sendBy?: number;
}

/** Payment means a billing key is issued for (§4.1 `payMethod`). */
export type PayMethod = 'CARD' | 'PHONE';

/** The gateway answered and did what was asked. */
export interface PaystorySuccess<T> {
  ok: true;
  code: string;
  message: string;
  data: T;
  /** Every field the gateway returned, unknown ones included (§1.2.3). Card data never appears here unmasked. */
  raw: Record<string, unknown>;
}

/** The gateway answered and refused. */
export interface PaystoryRefusal {
  ok: false;
  code: string;
  /** The gateway's own message, or the catalogue's when the gateway sent none. */
  message: string;
  category: ResultCategory;
  hardDecline: boolean;
  raw: Record<string, unknown>;
}

export type PaystoryOutcome<T> = PaystorySuccess<T> | PaystoryRefusal;

/** The card as the gateway describes it: masked number and codes only. */
export interface CardSummary {
  /** Masked by the gateway (e.g. `5365-****-****-1234`). */
  masked?: string;
  issuerCode?: string;
  issuerName?: string;
  acquirerCode?: string;
  /** `credit` (0) or `check` (1), §5.4 `cardType`. */
  type?: 'credit' | 'check';
}

/** §14: issue a card billing key from card data. Card data is used for this one request only. */
export interface RegisterBillingKeyInput extends CallOptions {
  /** Card company code (§13), `cpCd`. */
  cardCompanyCode: string;
  cardType: 'personal' | 'corporate';
  cardNo: string;
  /** `YYMM`. */
  expiry: string;
  /** 6-digit birth date (personal) or 10-digit business number (corporate). */
  birthOrBusinessNo: string;
  /** First two digits of the card password. */
  cardPassword2: string;
  orderNo: string;
  buyerName: string;
  buyerTel: string;
  goodsName: string;
}

export interface BillingKeyIssued {
  bid: string;
  orderNo?: string;
  issuedAt?: Date;
  payMethod: PayMethod;
  card: CardSummary;
  /** Phone billing charges at issuance (§3.1.3); present when it did. */
  payment?: ChargeApproved;
}

/** §4.3: complete an issuance the auth window started. */
export interface CompleteAuthIssuanceInput extends CallOptions {
  /** The transaction id the auth window returned (§4.2). */
  tid: string;
  /** Whole KRW of the auth request: 0 for card billing, the first charge for phone billing. */
  amount: number;
  /** The auth request's stamp ({@link AuthRequestForm.ediDate}); its signature covers it. */
  authRequestStamp: string;
  /** The auth request's signature ({@link AuthRequestForm.encData}), sent back unchanged. */
  authRequestSignature: string;
  /** The proof the auth window returned (§4.2 `signData`). */
  authWindowSignature: string;
  /** Charset of this request; the module's when omitted. */
  charset?: PaystoryCharset;
}

/** §4.1: the form a merchant page hands to `pgAsistant.js`. */
export interface AuthRequestInput extends MerchantChoice {
  payMethod: PayMethod;
  orderNo: string;
  goodsName: string;
  /** 0 for card billing; the first charge for phone billing (§3.1.3). */
  amount: number;
  buyerName: string;
  buyerTel: string;
  buyerEmail?: string;
  returnUrl: string;
  language?: 'KOR' | 'ENG';
  reserved?: string;
}

export interface AuthRequestForm {
  /** Field name → value, exactly as §4.1 spells them, `encData` included; the merchant key never. */
  fields: Record<string, string>;
  /** The gateway's script (`pgAsistant.js`) the page includes. */
  scriptUrl: string;
  /** Where the script posts the form (`<base>/order`). */
  actionUrl: string;
  /** The request's stamp and signature, which completing the issuance (§4.3) sends back. */
  ediDate: string;
  encData: string;
}

/** §5: charge a billing key. */
export interface ChargeInput extends CallOptions {
  bid: string;
  payMethod: PayMethod;
  orderNo: string;
  goodsName: string;
  /** Whole KRW. */
  amount: number;
  /** 0 (lump sum) to 12. */
  installmentMonths: number;
  buyerName: string;
  buyerTel: string;
  buyerEmail?: string;
  /** The merchant's customer id (`mbsUsrId`). */
  customerRef?: string;
  /** Free text the gateway keeps and returns (`mbsReserved`). */
  reserved?: string;
  /** Where the gateway posts the result back-end (§10), if not the console's. */
  notiUrl?: string;
  /**
   * The VAT split (`goodsSplAmt`, `goodsVat`, `goodsSvsAmt`), adding up to `amount`. Required by a
   * merchant whose VAT setting is "by amount sent"; absent: not sent, the gateway computes it.
   */
  amounts?: VatAmounts;
}

export interface ChargeApproved {
  tid: string;
  orderNo: string;
  amount: number;
  approvalNo?: string;
  approvedAt?: Date;
  installmentMonths?: number;
  card: CardSummary;
}

/** §6: delete a billing key. */
export interface DeleteBillingKeyInput extends CallOptions {
  bid: string;
}

export interface BillingKeyDeleted {
  bid: string;
  deletedAt?: Date;
}

/** §7: cancel all or part of an approval. */
export interface CancelInput extends CallOptions {
  /** The approval's tid; unused (sent empty when absent) with `byOrderNo`. */
  tid?: string;
  payMethod: PayMethod;
  /** Whole KRW to cancel. */
  amount: number;
  /** true sends `partCanFlg` 1. */
  partial: boolean;
  reason: string;
  /** The approval's order number; required with `byOrderNo`. */
  orderNo?: string;
  /** Cancel the approval found by `orderNo` (`ordNoChk` "1", §7.3): for an approval whose tid is not known. */
  byOrderNo?: boolean;
  /** This cancel's share of the VAT split, adding up to `amount`; required when the merchant's VAT setting is "by amount sent" (§7.3). */
  amounts?: VatAmounts;
  cancellerId?: string;
  cancellerName?: string;
  cancellerIp?: string;
  notiUrl?: string;
}

export interface CancelApproved {
  /** The cancel's own tid (a new one per partial cancel, §7.4). */
  tid: string;
  originalTid?: string;
  orderNo?: string;
  amount: number;
  cancelledAt?: Date;
}

/** One transaction as §8's query describes it. */
export interface TransactionRecord {
  tid: string;
  orderNo?: string;
  /** The transaction's own result code (e.g. 3001 approved, 2001 cancelled). */
  resultCode?: string;
  resultMessage?: string;
  amount?: number;
  approvalNo?: string;
  approvedAt?: Date;
  cancelled: boolean;
  goodsName?: string;
  card: CardSummary;
  raw: Record<string, unknown>;
}

export interface TransactionQueryResult {
  /** Zero when the gateway knows no such transaction. */
  count: number;
  transactions: TransactionRecord[];
}

export type ReceiptType = 'general' | 'cash';

/** Options of a receipt link (§9, NOTES item 5). */
export interface ReceiptOptions extends MerchantChoice {
  /** Language of the receipt page. */
  lang?: 'ko' | 'en';
}

export interface ReceiptLink {
  /** A URL a person opens to see the receipt page. */
  url: string;
  /** The fields a merchant page posts with the gateway's `receipt.js`. */
  form: Record<string, string>;
  scriptUrl: string;
}

/** A parsed back-end notification (§10), in domain names. */
export interface PaystoryNotification {
  mid: string;
  tid: string;
  originalTid?: string;
  orderNo?: string;
  resultCode: string;
  resultMessage?: string;
  amount: number;
  cancelled: boolean;
  payMethod?: string;
  approvalNo?: string;
  approvedAt?: Date;
  cancelledAt?: Date;
  ediDate: string;
  card: CardSummary;
}

/** The result of checking a notification's `hashStr`: the parsed notification only when it is genuine. */
export interface NotificationVerification {
  valid: boolean;
  notification?: PaystoryNotification;
}

/** What the auth window returned to the returnUrl (§4.2). */
export interface AuthWindowResult {
  /** True for `0000`: the person completed the window; issuance still needs {@link PaystoryClient.completeAuthIssuance}. */
  ok: boolean;
  resultCode: string;
  resultMessage?: string;
  payMethod?: string;
  tid?: string;
  ediDate?: string;
  mid?: string;
  goodsAmt?: string;
  signData?: string;
}
