import { registerDecorator, ValidationArguments } from 'class-validator';
import { byteLength, ENDPOINTS, EndpointKey, PaystoryCharset } from '@app/paystory';

/** The charset requests are sent in, set once at boot from PAYSTORY_CHARSET. */
export const requestCharset: { current: PaystoryCharset } = { current: 'UTF-8' };

/**
 * The value must fit the gateway field it is sent as: its size in bytes of the request charset
 * (a Hangul syllable is 3 bytes in UTF-8, 2 in EUC-KR). The limit is read from the endpoint
 * catalogue, the one place that knows the gateway's fields.
 */
export function GatewayFieldLimit(endpoint: EndpointKey, wireField: string) {
  const spec = ENDPOINTS[endpoint].request.find((f) => f.name === wireField);
  if (!spec?.maxBytes) throw new Error(`Catalogue has no size for ${endpoint}.${wireField}`);
  const maxBytes = spec.maxBytes;
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'gatewayFieldLimit',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || byteLength(value, requestCharset.current) <= maxBytes,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be at most ${maxBytes} bytes in ${requestCharset.current} (a Hangul syllable is ${requestCharset.current === 'UTF-8' ? 3 : 2} bytes)`,
      },
    });
}
