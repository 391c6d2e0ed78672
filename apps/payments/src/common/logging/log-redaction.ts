import { CARD_DATA_FIELDS, CREDENTIAL_FIELDS } from '@app/paystory';

/**
 * Field names whose values never reach a log line: the gateway's card-data and credential fields
 * (`cardNo`, `expireYymm`, `ordAuthNo`, `cardPw`, `bid`, `encData`, `hashStr`, `signData`,
 * `merchantKey`) and the service's names for the same data. Card data and keys are not logged on
 * purpose anywhere; this catches an object logged by mistake.
 */
export const REDACTED_LOG_FIELDS: readonly string[] = [
  ...new Set([
    ...CARD_DATA_FIELDS,
    ...CREDENTIAL_FIELDS,
    'cardNumber',
    'expiry',
    'birthOrBusinessNo',
    'cardPassword',
    'cardPassword2',
    'billingKey',
    'apiKey',
    'authorization',
  ]),
];

/** pino's `redact.paths`: each field at the top of a logged object and two levels down (e.g. `req.headers.authorization`). */
export const LOG_REDACT_PATHS: readonly string[] = REDACTED_LOG_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
]);
