import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Largest amount the gateway's 15-byte amount fields carry that the API accepts (as `amount`). */
const MAX_KRW = 999_999_999_999;

/** One optional part of a VAT split in a request body: whole KRW, 0 or more. */
export function VatPart(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_KRW, description: `${description}. Whole KRW` }),
    IsOptional(),
    IsInt({ message: '$property must be a whole number of KRW' }),
    Min(0, { message: '$property must not be negative' }),
    Max(MAX_KRW, { message: '$property is larger than the gateway accepts' }),
  );
}
