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

const CENSOR = '[Redacted]';
const REDACTED = new Set(REDACTED_LOG_FIELDS);
/** A redacted field as a key of a JSON line: `"cardNo":`. A field name inside a string value has its quotes escaped. */
const REDACTED_KEY = new RegExp(`"(?:${REDACTED_LOG_FIELDS.map(escapeRegExp).join('|')})":`);

/**
 * pino's `hooks.streamWrite`: the finished JSON line, bindings and serializer output included,
 * with every redacted field at any depth set to `"[Redacted]"`. It runs only for a line that is
 * written, and parses only a line holding such a key: pino's `redact` option ran on every child
 * logger's bindings instead, that is twice per request even when nothing is logged.
 */
export function redactLogLine(line: string): string {
  if (!REDACTED_KEY.test(line)) return line;
  try {
    return `${JSON.stringify(JSON.parse(line), (key, value: unknown) => (REDACTED.has(key) ? CENSOR : value))}\n`;
  } catch {
    // pino writes JSON: a line that is not is withheld whole rather than risk its secrets.
    return `${JSON.stringify({ level: 50, time: Date.now(), msg: 'A log line with a redacted field was not JSON: withheld' })}\n`;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
