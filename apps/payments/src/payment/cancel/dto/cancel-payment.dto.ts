import { IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../../common/openapi/gateway-bytes';
import { GatewayFieldLimit } from '../../../common/validation/gateway-field-limit.decorator';

/** Body of `POST /v1/payments/{id}/cancel`: all of what is left when `amount` is absent. */
export class CancelPaymentDto {
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
}
