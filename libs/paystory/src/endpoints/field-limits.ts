import { byteLength, PaystoryCharset } from '../charset/charset';
import { ENDPOINTS, EndpointKey } from './endpoint-catalogue';

/**
 * The largest size in bytes the gateway takes in a request field, from the endpoint catalogue.
 * Throws for a field the catalogue does not size, so a validator built on it fails at start.
 */
export function fieldMaxBytes(endpoint: EndpointKey, field: string): number {
  const maxBytes = ENDPOINTS[endpoint].request.find((f) => f.name === field)?.maxBytes;
  if (maxBytes === undefined) throw new Error(`The endpoint catalogue has no size for ${endpoint}.${field}`);
  return maxBytes;
}

/** Whether a value fits `maxBytes` in the request charset (a Hangul syllable is 3 bytes in UTF-8, 2 in EUC-KR). */
export function fitsBytes(value: string, maxBytes: number, charset: PaystoryCharset): boolean {
  return byteLength(value, charset) <= maxBytes;
}
