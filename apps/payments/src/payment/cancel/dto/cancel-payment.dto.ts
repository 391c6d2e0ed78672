import { IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../../common/openapi/gateway-bytes';
import { GatewayFieldLimit } from '../../../common/validation/gateway-field-limit.decorator';
import { VatPart } from '../../vat/vat-part.decorator';
import type { VatPartsInput } from '../../vat/vat-parts';

/** Body of `POST /v1/payments/{id}/cancel`: all of what is left when `amount` is absent. */
export class CancelPaymentDto implements VatPartsInput {
  @ApiProperty({ type: String, description: gatewayBytes('cancel', 'canMsg'), example: '고객 요청' })
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('cancel', 'canMsg')
  reason: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Whole KRW; a partial cancel when less than `cancellableAmount`; all of it when absent',
  })
  @IsOptional()
  @IsInt({ message: 'amount must be a whole number of KRW' })
  @Min(1, { message: 'amount must be at least 1 KRW' })
  amount?: number;

  /** This cancel's share of the payment's VAT split; computed in proportion when absent (docs/payments.md "VAT amounts"). */
  @VatPart(
    "This cancel's share of the supply; with the other three it adds up to the cancelled amount. Absent: the service computes the share",
  )
  supplyAmount?: number;

  @VatPart("This cancel's share of the VAT")
  vatAmount?: number;

  @VatPart("This cancel's share of the service charge")
  serviceAmount?: number;

  @VatPart("This cancel's share of the tax-free supply")
  taxFreeAmount?: number;
}
