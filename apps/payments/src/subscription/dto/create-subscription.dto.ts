import { Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../common/openapi/gateway-bytes';
import { IsDate, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';
import type { BillingInterval } from '../calendar/billing-calendar';
import { VatPart } from '../../payment/vat/vat-part.decorator';
import type { VatPartsInput } from '../../payment/vat/vat-parts';

/** Body of `POST /v1/subscriptions`. */
export class CreateSubscriptionDto implements VatPartsInput {
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

  @VatPart(
    'Supply (공급가) of the taxable goods each period; with vatAmount, serviceAmount and taxFreeAmount it adds up to amount. Absent (all four): the gateway splits each charge, or a merchant whose VAT mode is `amounts` sends it all as taxable',
  )
  supplyAmount?: number;

  @VatPart('VAT (부가세) of the taxable supply each period; required with any of the four')
  vatAmount?: number;

  @VatPart('Service charge (봉사료) each period; 0 when absent')
  serviceAmount?: number;

  @VatPart(
    'Tax-free (면세) supply each period (books, newspapers, …); 0 when absent. Sent to the gateway inside goodsSplAmt, which has no field of its own',
  )
  taxFreeAmount?: number;
}
