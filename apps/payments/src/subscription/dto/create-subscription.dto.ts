import { Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../common/openapi/gateway-bytes';
import { IsDate, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';
import type { BillingInterval } from '../calendar/billing-calendar';

/** Body of `POST /v1/subscriptions`. */
export class CreateSubscriptionDto {
  @ApiProperty({ type: String, maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;

  @ApiProperty({ type: String })
  @IsString()
  @IsNotEmpty()
  billingKeyId: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Whole KRW each period', example: 9900 })
  @IsInt({ message: 'amount must be a whole number of KRW' })
  @Min(1, { message: 'amount must be at least 1 KRW' })
  amount: number;

  @ApiProperty({ type: String, description: gatewayBytes('charge', 'goodsNm') })
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('charge', 'goodsNm')
  goodsName: string;

  @ApiProperty({ enum: ['monthly', 'weekly', 'yearly'] })
  @IsIn(['monthly', 'weekly', 'yearly'])
  interval: BillingInterval;

  /** When the first period starts and is charged (default: now). */
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'When the first period starts and is charged (default: now)',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'startAt must be an ISO 8601 date-time' })
  startAt?: Date;

  /** Day of month 1–31 (monthly, yearly) or ISO weekday 1–7 (weekly); default: startAt's. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 31,
    description: "Day of month 1–31 (monthly, yearly) or ISO weekday 1–7 (weekly); default: startAt's",
  })
  @IsOptional()
  @IsInt({ message: 'anchorDay must be a whole number' })
  @Min(1, { message: 'anchorDay must be at least 1' })
  @Max(31, { message: 'anchorDay must be at most 31' })
  anchorDay?: number;
}
