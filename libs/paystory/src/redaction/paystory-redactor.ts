import { isAxiosError } from 'axios';
import { encodeForm } from '../charset/charset';
import { CARD_DATA_FIELDS, CREDENTIAL_FIELDS } from '../endpoints/endpoint-catalogue';

/** What a scrubbed value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Field names whose values never reach a log or an error body, compared case-insensitively: the
 * gateway's own card-data and credential fields plus the names the service uses for the same data.
 */
const SENSITIVE_FIELD_NAMES: ReadonlySet<string> = new Set(
  [
    ...CARD_DATA_FIELDS,
    ...CREDENTIAL_FIELDS,
    'cardNo',
    'cardNumber',
    'expiry',
    'birthOrBusinessNo',
    'cardPassword2',
    'cardPassword',
    'billingKey',
    'merchantKey',
    'authorization',
    'apiKey',
  ].map((name) => name.toLowerCase()),
);

/**
 * 13 to 19 digits, optionally split by single spaces or dashes, not glued to letters or digits: a
 * card number. Digits glued to letters are ids (a tid such as `mid01m0385…`) and stay readable.
 */
const PAN_LIKE = /(?<![A-Za-z0-9])\d(?:[ -]?\d){12,18}(?![A-Za-z0-9])/g;

/** A bare `yyyyMMddHHmmss` stamp (ediDate, appDtm); no issued card range starts with 19 or 20 at 14 digits. */
const GATEWAY_STAMP = /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])[0-5]\d[0-5]\d$/;

const MAX_ERROR_LENGTH = 500;
const MAX_CAUSE_DEPTH = 3;

/**
 * The one place secrets are scrubbed before anything is logged or put in an error: merchant keys,
 * billing keys, hashes, card data (by field name) and card numbers (by shape) in free text.
 */
export class PaystoryRedactor {
  /** Each secret with its URL-encoded spellings, longest first so a secret inside another goes whole. */
  private readonly literals: readonly string[];

  /** @param secrets merchant keys and any other literal secret to scrub from free text; empty strings are ignored. */
  constructor(private readonly secrets: string[]) {
    const spellings = secrets
      .filter((s) => s.length > 0)
      .flatMap((s) => [s, encodeURIComponent(s), encodeForm({ s }, 'UTF-8').slice(2)]);
    this.literals = [...new Set(spellings)].sort((a, b) => b.length - a.length);
  }

  /** A redactor that also scrubs these secrets (say a billing key known only for one request). */
  withSecrets(more: string[]): PaystoryRedactor {
    return new PaystoryRedactor([...this.secrets, ...more]);
  }

  /** Masks every digit of a card number but the last four, keeping separators: `**** **** **** 1111`. */
  static maskCardNumber(cardNumber: string): string {
    const digits = cardNumber.replace(/\D/g, '').length;
    let seen = 0;
    return cardNumber.replace(/\d/g, (d) => (++seen > digits - 4 ? d : '*'));
  }

  /** A copy with sensitive fields replaced by {@link REDACTED} and free text scrubbed, at any depth. */
  fields(fields: Record<string, unknown>): Record<string, unknown> {
    return this.object(fields, new Set());
  }

  /** Free text with every literal secret removed and card-number-like digit runs masked. */
  text(text: string): string {
    let scrubbed = text;
    for (const literal of this.literals) scrubbed = scrubbed.split(literal).join(REDACTED);
    return scrubbed.replace(PAN_LIKE, (run) => (GATEWAY_STAMP.test(run) ? run : PaystoryRedactor.maskCardNumber(run)));
  }

  /**
   * A safe one-line description of anything thrown. For an axios error only its code, method, URL
   * without query string, status and message: never its config, body or headers, which carry the
   * merchant's hashes, billing keys and card data.
   */
  error(err: unknown): string {
    return this.oneLine(this.describe(err));
  }

  private describe(err: unknown, depth = 0): string {
    if (isAxiosError(err)) {
      const method = err.config?.method?.toUpperCase() ?? 'request';
      const url = originAndPath(err.config?.baseURL, err.config?.url);
      const status = err.response ? ` (HTTP ${err.response.status})` : '';
      const code = err.code ? ` ${err.code}` : '';
      return `AxiosError${code} on ${method} ${url}${status}: ${err.message}`;
    }
    if (err instanceof Error) {
      const own = `${err.name}: ${err.message}`;
      const hasCause = err.cause !== undefined && err.cause !== err && depth < MAX_CAUSE_DEPTH;
      return hasCause ? `${own} (caused by ${this.describe(err.cause, depth + 1)})` : own;
    }
    if (typeof err === 'string') return err;
    if (typeof err === 'object' && err !== null)
      return `Non-error thrown: ${safeJson(this.fields(err as Record<string, unknown>))}`;
    return `Non-error thrown: ${String(err)}`;
  }

  private oneLine(description: string): string {
    const line = this.text(description).replace(/\s+/g, ' ').trim();
    return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH)}…` : line;
  }

  private value(value: unknown, ancestors: Set<object>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value !== 'object' || value === null || value instanceof Date) return value;
    if (value instanceof Error) return this.error(value);
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
    if (ancestors.has(value)) return '[Circular]';
    return Array.isArray(value)
      ? this.array(value, ancestors)
      : this.object(value as Record<string, unknown>, ancestors);
  }

  private array(items: unknown[], ancestors: Set<object>): unknown[] {
    ancestors.add(items);
    const copy = items.map((item) => this.value(item, ancestors));
    ancestors.delete(items);
    return copy;
  }

  private object(fields: Record<string, unknown>, ancestors: Set<object>): Record<string, unknown> {
    ancestors.add(fields);
    const copy: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      const sensitive = SENSITIVE_FIELD_NAMES.has(name.toLowerCase()) && value !== undefined && value !== null;
      copy[name] = sensitive ? REDACTED : this.value(value, ancestors);
    }
    ancestors.delete(fields);
    return copy;
  }
}

/**
 * The request's URL for a log line, joined the way axios joins `baseURL` and `url`: origin and path
 * only, so neither a query-string hash nor userinfo gets through.
 */
function originAndPath(baseURL: string | undefined, url: string | undefined): string {
  const absolute = url && /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
  const joined =
    absolute || !baseURL ? (url ?? '') : url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
  if (!joined) return '(no url)';
  try {
    const parsed = new URL(joined);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return joined.split(/[?#]/)[0];
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '(unserialisable value)';
  }
}
