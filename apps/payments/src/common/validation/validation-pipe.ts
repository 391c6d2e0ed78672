import { ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { PaystoryCharset } from '@app/paystory';
import { AppError, FieldError } from '../errors/app-error';
import { charsetGroup } from './gateway-field-limit.decorator';

/** Flattens nested class-validator errors into `{ field: 'a.b', message }`, never echoing values. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** The service's pipe: byte limits are checked in the request charset (`PAYSTORY_CHARSET`). */
export function createValidationPipe(charset: PaystoryCharset): ValidationPipe {
  return new ValidationPipe(validationPipeOptions(charset));
}

/** The options of the service's validation, in one place for {@link createValidationPipe} and PaymentsValidationPipe. */
export function validationPipeOptions(charset: PaystoryCharset): ValidationPipeOptions {
  return {
    // Every rule applies, plus the byte limits of this charset's group (see GatewayFieldLimit).
    groups: [charsetGroup(charset)],
    always: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One error per invalid field (CONTRACT.md "Errors"): the first rule it breaks.
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation(fieldErrors(errors)),
  };
}
