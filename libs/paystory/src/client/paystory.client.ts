import { Injectable } from '@nestjs/common';
import { EndpointKey, ENDPOINTS } from '../endpoints/endpoint-catalogue';
import { assertRequestValid } from '../endpoints/request-checker';
import { PaystoryHttpAdapter } from '../http/paystory-http.adapter';
import { sendableFields } from '../http/wire-fields';
import { GatewayCallOptions } from '../http/gateway-answer';
import { PaystorySettings } from '../paystory-settings';
import { PaystorySigner } from '../signer/paystory-signer';
import {
  AUTH_SCRIPT_PATH,
  authRequestFields,
  authWindowResultFrom,
  completeAuthIssuanceFields,
} from './mappers/auth-issuance.mapper';
import { billingKeyDeletedFrom, deleteBillingKeyFields } from './mappers/billing-key-deletion.mapper';
import { billingKeyIssuedFrom } from './mappers/billing-key-issued.mapper';
import { registerBillingKeyFields } from './mappers/billing-key-registration.mapper';
import { cancelApprovedFrom, cancelFields } from './mappers/cancel.mapper';
import { chargeApprovedFrom, chargeFields } from './mappers/charge.mapper';
import { notificationFrom } from './mappers/notification.mapper';
import { outcomeOf, requiredAnswerField } from './mappers/outcome.mapper';
import { receiptFields, receiptLinkFrom } from './mappers/receipt.mapper';
import { RequestContext } from './mappers/request-context';
import {
  TransactionLookup,
  transactionQueryFields,
  transactionQueryResultFrom,
} from './mappers/transaction-query.mapper';
import {
  AuthRequestForm,
  AuthRequestInput,
  AuthWindowResult,
  BillingKeyDeleted,
  BillingKeyIssued,
  CallOptions,
  CancelApproved,
  CancelInput,
  ChargeApproved,
  ChargeInput,
  CompleteAuthIssuanceInput,
  DeleteBillingKeyInput,
  MerchantChoice,
  NotificationVerification,
  PaystoryOutcome,
  ReceiptLink,
  ReceiptOptions,
  ReceiptType,
  RegisterBillingKeyInput,
  TransactionQueryResult,
} from './paystory-client.types';

/**
 * The typed PAY-STORY client: one method per gateway endpoint, domain names in and out.
 *
 * Calls that reach the gateway resolve to a {@link PaystoryOutcome} when the gateway answered
 * (approved or refused) and throw when it did not: `PaystoryRequestInvalidError` (nothing was
 * sent), `PaystoryOutcomeUnknownError` (a money call's answer was lost: query before anything
 * else, never repeat it), `PaystoryUnavailableError` (safe to try again later).
 */
@Injectable()
export class PaystoryClient {
  constructor(
    private readonly settings: PaystorySettings,
    private readonly signer: PaystorySigner,
    private readonly http: PaystoryHttpAdapter,
  ) {}

  /** §4.1: the signed form a merchant page posts into the auth window with `pgAsistant.js`. No HTTP. */
  prepareAuthRequest(input: AuthRequestInput): AuthRequestForm {
    const charset = this.settings.charset;
    const wire = authRequestFields(input, this.context('authRequest', input), charset);
    const fields = sendableFields(wire);
    assertRequestValid('authRequest', fields, charset);
    return {
      fields,
      ediDate: String(wire.ediDate),
      encData: String(wire.encData),
      scriptUrl: `${this.settings.baseUrl}${AUTH_SCRIPT_PATH}`,
      actionUrl: `${this.settings.baseUrl}${ENDPOINTS.authRequest.path}`,
    };
  }

  /** The gateway's auth-window script (`pgAsistant.js`, §2.2) a merchant page includes. */
  authScriptUrl(): string {
    return `${this.settings.baseUrl}${AUTH_SCRIPT_PATH}`;
  }

  /** §4.2: reads what the auth window posted to the returnUrl. No HTTP. */
  readAuthWindowResult(fields: Record<string, string | undefined>): AuthWindowResult {
    return authWindowResultFrom(fields);
  }

  /** §4.3: completes an auth-window issuance. For phone billing this also charges (§3.1.3). */
  async completeAuthIssuance(input: CompleteAuthIssuanceInput): Promise<PaystoryOutcome<BillingKeyIssued>> {
    const charset = input.charset ?? this.settings.charset;
    const fields = completeAuthIssuanceFields(input, this.context('completeAuthIssuance', input), charset);
    const answer = await this.http.send('completeAuthIssuance', fields, { ...callOptionsOf(input), charset });
    return outcomeOf(answer, () => billingKeyIssuedFrom(answer.fields, requiredAnswerField(answer, 'bid')));
  }

  /** §14: issues a card billing key from card data, which is sent in this request body only. */
  async registerBillingKey(input: RegisterBillingKeyInput): Promise<PaystoryOutcome<BillingKeyIssued>> {
    const fields = registerBillingKeyFields(input, this.context('registerBillingKey', input));
    const answer = await this.http.send('registerBillingKey', fields, callOptionsOf(input));
    return outcomeOf(answer, () => billingKeyIssuedFrom(answer.fields, requiredAnswerField(answer, 'bid')));
  }

  /** §5: charges a billing key. Never retried: on a lost answer query by order number (§8). */
  async charge(input: ChargeInput): Promise<PaystoryOutcome<ChargeApproved>> {
    const fields = chargeFields(input, this.context('charge', input));
    const answer = await this.http.send('charge', fields, callOptionsOf(input));
    return outcomeOf(answer, () => chargeApprovedFrom(answer.fields, requiredAnswerField(answer, 'tid'), input));
  }

  /** §6: deletes a billing key for good (§3.5). */
  async deleteBillingKey(input: DeleteBillingKeyInput): Promise<PaystoryOutcome<BillingKeyDeleted>> {
    const fields = deleteBillingKeyFields(input.bid, this.context('deleteBillingKey', input));
    const answer = await this.http.send('deleteBillingKey', fields, callOptionsOf(input));
    return outcomeOf(answer, () => billingKeyDeletedFrom(answer.fields, input.bid));
  }

  /** §7: cancels all or part of an approval; each partial cancel gets its own tid. */
  async cancel(input: CancelInput): Promise<PaystoryOutcome<CancelApproved>> {
    const fields = cancelFields(input, this.context('cancel', input));
    const answer = await this.http.send('cancel', fields, callOptionsOf(input));
    return outcomeOf(answer, () => cancelApprovedFrom(answer.fields, requiredAnswerField(answer, 'tid'), input));
  }

  /** §8: the gateway's record of a transaction by its tid. Read-only, so retried on transport failures. */
  queryByTid(tid: string, options: CallOptions = {}): Promise<PaystoryOutcome<TransactionQueryResult>> {
    return this.query({ tid }, options);
  }

  /** §8: the gateway's record of a transaction by the merchant's order number (NOTES item 3). */
  queryByOrderNo(orderNo: string, options: CallOptions = {}): Promise<PaystoryOutcome<TransactionQueryResult>> {
    return this.query({ orderNo }, options);
  }

  /** §9: the receipt page's URL and the fields a page posts with `receipt.js` (NOTES item 5). No HTTP. */
  receiptLink(tid: string, receiptType: ReceiptType, options: ReceiptOptions = {}): ReceiptLink {
    const form = sendableFields(receiptFields(tid, receiptType, options.lang, this.context('receipt', options)));
    assertRequestValid('receipt', form, this.settings.charset);
    return receiptLinkFrom(form, this.settings.receiptBaseUrl);
  }

  /**
   * §10: checks a back-end notification's `hashStr` in constant time with the key of the merchant
   * whose `mid` it carries (or of the named merchant, whose mid must match). A valid notification
   * is still only a hint: confirm it with a query before it changes money state (NOTES item 4).
   */
  verifyNotification(fields: Record<string, string>, options: MerchantChoice = {}): NotificationVerification {
    const merchant =
      options.merchant === undefined
        ? this.settings.merchantByMid(fields.mid)
        : this.settings.merchant('notification', options.merchant);
    if (!merchant || merchant.mid !== fields.mid) return { valid: false };
    if (!this.signer.verifyNotification(merchant, fields)) return { valid: false };
    const notification = notificationFrom(fields);
    return notification ? { valid: true, notification } : { valid: false };
  }

  private async query(
    lookup: TransactionLookup,
    options: CallOptions,
  ): Promise<PaystoryOutcome<TransactionQueryResult>> {
    const fields = transactionQueryFields(lookup, this.context('query', options));
    const answer = await this.http.send('query', fields, callOptionsOf(options));
    return outcomeOf(answer, () => transactionQueryResultFrom(answer.fields));
  }

  private context(endpoint: EndpointKey, choice: MerchantChoice): RequestContext {
    return {
      merchant: this.settings.merchant(endpoint, choice.merchant),
      ediDate: this.signer.ediDate(),
      signer: this.signer,
    };
  }
}

/** The per-call settings a caller's options carry to the HTTP adapter. */
function callOptionsOf({ timeoutMs, sendBy }: CallOptions): GatewayCallOptions {
  return { timeoutMs, sendBy };
}
