/** Public API of the PAY-STORY gateway library: the `@paystory/nestjs` package, `@app/paystory` inside this repository. */
export { PaystoryModule } from './paystory.module';
export { PAYSTORY_MODULE_OPTIONS } from './paystory.module-definition';
export type { PaystoryMerchant, PaystoryModuleOptions } from './paystory-options.interface';
export { PaystorySettings } from './paystory-settings';
export { DEFAULT_TIMEOUT_MS, PAYSTORY_CLOCK } from './paystory.constants';

export { PaystoryClient } from './client/paystory.client';
export type { GatewayExchange, GatewayExchangeObserver, GatewayExchangeOutcome } from './http/gateway-exchange';
export type { TransportFailureReason } from './http/transport-failure';
export type * from './client/paystory-client.types';

export { includedVat, partsTotal, proportionalShares, taxableSplit } from './vat/vat-amounts';

export { PaystorySigner } from './signer/paystory-signer';
export type { SigningMerchant } from './signer/paystory-signer';

export {
  PaystoryError,
  PaystoryNotSentError,
  PaystoryOutcomeUnknownError,
  PaystoryRequestInvalidError,
  PaystoryUnavailableError,
  PaystoryUnknownMerchantError,
} from './errors/paystory-errors';
export type { FieldProblem } from './errors/paystory-errors';

export {
  CANCEL_SUCCESS_CODE,
  CHARGE_APPROVAL_CODES,
  describeResult,
  DUPLICATE_ORDER_CODE,
  isCancelSuccess,
  isChargeApproval,
  isSuccess,
  mayBeDuplicateOrder,
  RESULT_CODES,
} from './catalogue/result-codes';
export { cardCompanyName, CARD_COMPANIES } from './catalogue/card-companies';
export type { CardCompany, ResultCategory, ResultCodeGroup, ResultCodeInfo } from './catalogue/result-category';

export { PaystoryRedactor, REDACTED } from './redaction/paystory-redactor';

export {
  byteLength,
  decode,
  decodeForm,
  encode,
  encodeForm,
  isEncodable,
  parseCharset,
  PAYSTORY_CHARSETS,
} from './charset/charset';
export type { PaystoryCharset } from './charset/charset';

export { systemClock } from './clock/clock';
export type { Clock } from './clock/clock';
export { fromSeoulStamp, toSeoulStamp } from './clock/seoul-time';

export { CARD_DATA_FIELDS, CREDENTIAL_FIELDS, ENDPOINTS, FIXED_VALUES } from './endpoints/endpoint-catalogue';
export type { EndpointKey, EndpointSpec, HttpMethod } from './endpoints/endpoint-catalogue';
export type { FieldKind, FieldSpec } from './endpoints/field-spec';
export { assertRequestValid, findRequestProblems } from './endpoints/request-checker';
export { fieldMaxBytes, fitsBytes } from './endpoints/field-limits';

export { readGatewayPost } from './inbound/gateway-post.reader';
export { notificationAck } from './inbound/notification-ack';
export type { NotificationAck, NotificationAckMode } from './inbound/notification-ack';
