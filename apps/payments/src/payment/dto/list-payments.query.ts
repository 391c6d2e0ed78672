import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PAYMENT_STATUSES } from '../payment-status';
import type { PaymentStatus } from '../payment-status';

export class ListPaymentsQuery {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  orderId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  customerId?: string;

  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: PaymentStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** Opaque cursor from the previous page's `nextCursor`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
