import { decodeForm, parseCharset, PaystoryCharset } from '../charset/charset';

/**
 * Reads what the gateway posts to the merchant: a notification (§10) or the auth window's return
 * (§4.2). Both are forms in UTF-8 or EUC-KR (§4.1 `charSet`); JSON is accepted too, tolerantly.
 * Returns the fields as strings, or undefined when the body is neither. Give it the raw bytes:
 * common form parsers (Express's among them) cannot read EUC-KR.
 *
 * The charset is the Content-Type's, else `fallbackCharset`; when the form names its own
 * `charSet` and that differs, the form is decoded again in it.
 */
export function readGatewayPost(
  raw: Buffer,
  contentType: string | undefined,
  fallbackCharset: PaystoryCharset,
): Record<string, string> | undefined {
  const type = (contentType ?? '').toLowerCase();
  const charset = parseCharset(/charset=([^;]+)/.exec(type)?.[1], fallbackCharset);
  if (type.includes('json') || raw.toString('latin1').trim().startsWith('{')) return jsonFields(raw);
  const fields = decodeForm(raw, charset);
  const declared = fields.charSet ? parseCharset(fields.charSet, charset) : charset;
  return declared === charset ? fields : decodeForm(raw, declared);
}

/** A JSON object's members as strings (null → ''); undefined for anything else. */
function jsonFields(raw: Buffer): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [
      k,
      v === null || v === undefined ? '' : String(v),
    ]),
  );
}
