import { IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { GatewayFieldLimit } from '../../../common/validation/gateway-field-limit.decorator';

/** Body of `POST /v1/payments/{id}/cancel`: all of what is left when `amount` is absent. */
export class CancelPaymentDto {
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('cancel', 'canMsg')
  reason: string;

  @IsOptional()
  @IsInt({ message: 'amount must be a whole number of KRW' })
  @Min(1, { message: 'amount must be at least 1 KRW' })
  amount?: number;
}
