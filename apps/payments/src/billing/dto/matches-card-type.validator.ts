import { registerDecorator, ValidationArguments } from 'class-validator';

const IDENTITY_BY_CARD_TYPE: Record<string, RegExp> = { personal: /^\d{6}$/, corporate: /^\d{10}$/ };

/**
 * Guide §14.3 `ordAuthNo`: a personal card is identified by the holder's birth date (6 digits), a
 * corporate card by the business number (10 digits). The gateway refuses a mismatch with 3026,
 * which would reach the caller as a refusal instead of as bad input naming the field.
 */
export function MatchesCardType() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'matchesCardType',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const expected = IDENTITY_BY_CARD_TYPE[String((args.object as { cardType?: unknown }).cardType)];
          return typeof value !== 'string' || !expected || expected.test(value);
        },
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be a 6-digit birth date (YYMMDD) for a personal card and a 10-digit business number for a corporate card`,
      },
    });
}
