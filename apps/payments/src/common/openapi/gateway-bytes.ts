import { EndpointKey, fieldMaxBytes } from '@app/paystory';

/** A schema description line for a field the gateway limits in bytes (`@GatewayFieldLimit`), with the limit from its catalogue. */
export function gatewayBytes(endpoint: EndpointKey, wireField: string): string {
  return `At most ${fieldMaxBytes(endpoint, wireField)} bytes in the request charset (PAYSTORY_CHARSET: a Hangul syllable is 3 bytes in UTF-8, 2 in EUC-KR); the gateway's \`${wireField}\``;
}
