import { registerDecorator, ValidationArguments } from 'class-validator';
import { byteLength, EndpointKey, fieldMaxBytes, fitsBytes, PAYSTORY_CHARSETS, PaystoryCharset } from '@app/paystory';

/**
 * The validation group of the byte limits in one request charset. A limit is registered once per
 * charset; the app's ValidationPipe validates with the group of its PAYSTORY_CHARSET, so the
 * charset reaches the check with the configuration and no shared state.
 */
export function charsetGroup(charset: PaystoryCharset): string {
  return `gateway-charset:${charset}`;
}

/**
 * The value must fit the gateway field it is sent as: its size in bytes of the request charset
 * (a Hangul syllable is 3 bytes in UTF-8, 2 in EUC-KR). The limit is read from the endpoint
 * catalogue, the one place that knows the gateway's fields.
 */
export function GatewayFieldLimit(endpoint: EndpointKey, wireField: string) {
  const maxBytes = fieldMaxBytes(endpoint, wireField);
  return (target: object, propertyName: string) => {
    for (const charset of PAYSTORY_CHARSETS) {
      registerDecorator({
        name: 'gatewayFieldLimit',
        target: target.constructor,
        propertyName,
        options: { groups: [charsetGroup(charset)] },
        validator: {
          validate: (value: unknown) => typeof value !== 'string' || fitsBytes(value, maxBytes, charset),
          defaultMessage: (args: ValidationArguments) =>
            `${args.property} must be at most ${maxBytes} bytes in ${charset} (a Hangul syllable is ${byteLength('가', charset)} bytes)`,
        },
      });
    }
  };
}
