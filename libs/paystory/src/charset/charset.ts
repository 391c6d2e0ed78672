import * as iconv from 'iconv-lite';

/** The request charsets the gateway accepts (`charSet`, §4.1): UTF-8 by default, or EUC-KR. */
export const PAYSTORY_CHARSETS = ['UTF-8', 'EUC-KR'] as const;
export type PaystoryCharset = (typeof PAYSTORY_CHARSETS)[number];

/** Size of a value in bytes in the given charset: a Hangul syllable is 3 in UTF-8, 2 in EUC-KR (NOTES item 9). */
export function byteLength(value: string, charset: PaystoryCharset): number {
  return charset === 'UTF-8' ? Buffer.byteLength(value, 'utf8') : iconv.encode(value, 'euc-kr').length;
}

/** Whether every character survives a round trip through the charset (EUC-KR lacks many characters). */
export function isEncodable(value: string, charset: PaystoryCharset): boolean {
  if (charset === 'UTF-8') return true;
  return iconv.decode(iconv.encode(value, 'euc-kr'), 'euc-kr') === value;
}

export function encode(value: string, charset: PaystoryCharset): Buffer {
  return iconv.encode(value, charset === 'UTF-8' ? 'utf8' : 'euc-kr');
}

export function decode(bytes: Buffer, charset: PaystoryCharset): string {
  return iconv.decode(bytes, charset === 'UTF-8' ? 'utf8' : 'euc-kr');
}

/** Reads a charset name as it appears in `charSet` fields or Content-Type headers. */
export function parseCharset(name: string | undefined, fallback: PaystoryCharset = 'UTF-8'): PaystoryCharset {
  const normalised = (name ?? '').trim().toLowerCase().replace(/[_\s]/g, '-');
  if (normalised === 'euc-kr' || normalised === 'euckr' || normalised === 'ks-c-5601-1987' || normalised === 'cp949')
    return 'EUC-KR';
  if (normalised === 'utf-8' || normalised === 'utf8') return 'UTF-8';
  return fallback;
}

/**
 * `application/x-www-form-urlencoded` in the given charset: each value's bytes percent-encoded,
 * as a browser submitting a form with `accept-charset` would.
 */
export function encodeForm(fields: Record<string, string>, charset: PaystoryCharset): string {
  return Object.entries(fields)
    .map(([name, value]) => `${percentEncode(name, charset)}=${percentEncode(value, charset)}`)
    .join('&');
}

/** Parses a form body whose percent-escapes are bytes in the given charset. */
export function decodeForm(body: Buffer | string, charset: PaystoryCharset): Record<string, string> {
  const text = typeof body === 'string' ? body : body.toString('latin1');
  const fields: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    fields[percentDecode(rawName, charset)] = percentDecode(rawValue, charset);
  }
  return fields;
}

const UNRESERVED_ONLY = /^[0-9A-Za-z\-._*]*$/;

/** What each byte becomes in a form value, built once. */
const ESCAPED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  if (byte === 0x20) return '+';
  const char = String.fromCharCode(byte);
  return UNRESERVED_ONLY.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

/** `application/x-www-form-urlencoded` escaping of the charset's bytes: unreserved bytes as they are, a space as `+`. */
function percentEncode(value: string, charset: PaystoryCharset): string {
  // Most values (ids, amounts, dates, hashes, hex ciphertext) need no escape: no bytes, no new string.
  if (UNRESERVED_ONLY.test(value)) return value;
  let out = '';
  for (const byte of encode(value, charset)) out += ESCAPED_BYTE[byte];
  return out;
}

/**
 * Percent-escapes become bytes of the charset; any other character is taken as its UTF-8 bytes.
 * Most values are plain ASCII (ids, amounts, dates, hashes): those are returned as they are, which
 * is what decoding their bytes gives in UTF-8 and EUC-KR alike.
 */
function percentDecode(value: string, charset: PaystoryCharset): string {
  const text = value.includes('+') ? value.replace(/\+/g, ' ') : value;
  if (!text.includes('%') && isAscii(text)) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 && isHexDigit(text.charCodeAt(i + 1)) && isHexDigit(text.charCodeAt(i + 2))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      bytes.push(...encode(text[i], 'UTF-8'));
    }
  }
  return decode(Buffer.from(bytes), charset);
}

function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}
