import { IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../common/openapi/gateway-bytes';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';
import { VatPart } from '../vat/vat-part.decorator';
import type { VatPartsInput } from '../vat/vat-parts';

/** Body of `POST /v1/payments`: charge a billing key (guide §5). Amounts are whole KRW. */
export class CreatePaymentDto implements VatPartsInput {
  @ApiProperty({ type: String, example: 'bk_3f0c9e6a1b2d4c5e8f7a6b5c4d3e2f10' })
  @IsString()
  @IsNotEmpty()
  billingKeyId: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 999_999_999_999, description: 'Whole KRW', example: 15000 })
  @IsInt({ message: 'amount must be a whole number of KRW' })
  @Min(1, { message: 'amount must be at least 1 KRW' })
  @Max(999_999_999_999, { message: 'amount is larger than the gateway accepts' })
  amount: number;

  @ApiProperty({ type: String, description: gatewayBytes('charge', 'goodsNm'), example: '월간 구독' })
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('charge', 'goodsNm')
  goodsName: string;

  /** The gateway's `ordNo`; generated when absent. Unique. */
  @ApiPropertyOptional({
    type: String,
    pattern: '^[A-Za-z0-9_-]{1,40}$',
    description: "The gateway's `ordNo`, unique; generated when absent (from the Idempotency-Key when one is sent)",
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'orderId must be 1 to 40 letters, digits, - or _' })
  orderId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 12, default: 0 })
  @IsOptional()
  @IsInt({ message: 'installmentMonths must be a whole number from 0 to 12' })
  @Min(0, { message: 'installmentMonths must be a whole number from 0 to 12' })
  @Max(12, { message: 'installmentMonths must be a whole number from 0 to 12' })
  installmentMonths?: number;

  /** Defaults to the buyer the billing key was registered with. */
  @ApiPropertyOptional({
    type: String,
    description: `Defaults to the buyer the billing key was registered with. ${gatewayBytes('charge', 'ordNm')}`,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('charge', 'ordNm')
  buyerName?: string;

  @ApiPropertyOptional({ type: String, pattern: '^\\d{9,20}$' })
  @IsOptional()
  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel?: string;

  @ApiPropertyOptional({ type: String, format: 'email', description: gatewayBytes('charge', 'ordEmail') })
  @IsOptional()
  @IsEmail()
  @GatewayFieldLimit('charge', 'ordEmail')
  buyerEmail?: string;

  /** The merchant's own customer reference (`mbsUsrId`). */
  @ApiPropertyOptional({ type: String, description: gatewayBytes('charge', 'mbsUsrId') })
  @IsOptional()
  @IsString()
  @GatewayFieldLimit('charge', 'mbsUsrId')
  customerRef?: string;

  /** Free text the gateway keeps with the payment (`mbsReserved`). */
  @ApiPropertyOptional({
    type: String,
    description: `Free text the gateway keeps with the payment. ${gatewayBytes('charge', 'mbsReserved')}`,
  })
  @IsOptional()
  @IsString()
  @GatewayFieldLimit('charge', 'mbsReserved')
  metadata?: string;

  /** The VAT split (docs/payments.md "VAT amounts"): the four add up to `amount`. */
  @VatPart(
    "Supply (공급가) of the taxable goods; with vatAmount, serviceAmount and taxFreeAmount it adds up to amount. Required when the merchant's VAT mode is `amounts`",
  )
  supplyAmount?: number;

  @VatPart("VAT (부가세) of the taxable supply. Required when the merchant's VAT mode is `amounts`")
  vatAmount?: number;

  @VatPart('Service charge (봉사료); 0 when absent')
  serviceAmount?: number;

  @VatPart(
    'Tax-free (면세) supply; 0 when absent. Sent to the gateway inside goodsSplAmt, which has no field of its own',
  )
  taxFreeAmount?: number;
}
