import { decodeForm, parseCharset, type PaystoryCharset } from '@app/paystory';

/**
 * What the gateway (notifications, §10) or its auth window (returnUrl, §4.2) posts: a form in UTF-8
 * or EUC-KR (§4.1 `charSet`); JSON is accepted too, tolerantly. Returns the fields as strings, or
 * undefined when the body is neither. Express's form parser cannot read EUC-KR, so the raw bytes
 * of these routes are kept (see bootstrap) and decoded here.
 */
export function parseGatewayBody(raw: Buffer, contentType: string | undefined, fallbackCharset: PaystoryCharset): Record<string, string> | undefined {
  const type = (contentType ?? '').toLowerCase();
  const charset = parseCharset(/charset=([^;]+)/.exec(type)?.[1], fallbackCharset);
  const text = raw.toString('latin1').trim();
  if (type.includes('json') || text.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
    } catch {
      return undefined;
    }
  }
  const fields = decodeForm(raw, charset);
  // The form names its own charset; decode again when it differs from the header's.
  const declared = fields.charSet ? parseCharset(fields.charSet, charset) : charset;
  return declared === charset ? fields : decodeForm(raw, declared);
}
