import { describe, expect, it } from '@jest/globals';
import { IsString } from 'class-validator';
import type { PaystoryCharset } from '@app/paystory';
import { AppError, FieldError } from '../errors/app-error';
import { GatewayFieldLimit } from './gateway-field-limit.decorator';
import { createValidationPipe } from './validation-pipe';

class CancelReason {
  @IsString()
  @GatewayFieldLimit('cancel', 'canMsg')
  reason!: string;
}

/** The field errors the service's pipe in `charset` answers for a body, or undefined when it passes. */
async function fieldErrorsOf(charset: PaystoryCharset, body: object): Promise<FieldError[] | undefined> {
  try {
    await createValidationPipe(charset).transform(body, { type: 'body', metatype: CancelReason });
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.extensions.errors;
  }
}

describe(GatewayFieldLimit.name, () => {
  // 34 Hangul syllables: 102 bytes in UTF-8 (over canMsg's 100), 68 in EUC-KR.
  const reason = '가'.repeat(34);

  it('counts bytes in the charset of the pipe that validates, each pipe its own', async () => {
    expect(await fieldErrorsOf('EUC-KR', { reason })).toBeUndefined();
    expect(await fieldErrorsOf('UTF-8', { reason })).toEqual([
      { field: 'reason', message: 'reason must be at most 100 bytes in UTF-8 (a Hangul syllable is 3 bytes)' },
    ]);
    expect(await fieldErrorsOf('EUC-KR', { reason: '가'.repeat(51) })).toEqual([
      { field: 'reason', message: 'reason must be at most 100 bytes in EUC-KR (a Hangul syllable is 2 bytes)' },
    ]);
  });

  it('leaves the other rules as they are: one error per field, the first rule broken', async () => {
    expect(await fieldErrorsOf('UTF-8', { reason: 42 })).toEqual([
      { field: 'reason', message: 'reason must be a string' },
    ]);
  });
});
