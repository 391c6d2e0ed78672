import { IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';

/** Body of `POST /v1/payments`: charge a billing key (guide §5). Amounts are whole KRW. */
export class CreatePaymentDto {
  @IsString()
  @IsNotEmpty()
  billingKeyId: string;

  @IsInt({ message: 'amount must be a whole number of KRW' })
  @Min(1, { message: 'amount must be at least 1 KRW' })
  @Max(999_999_999_999, { message: 'amount is larger than the gateway accepts' })
  amount: number;

  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('charge', 'goodsNm')
  goodsName: string;

  /** The gateway's `ordNo`; generated when absent. Unique. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'orderId must be 1 to 40 letters, digits, - or _' })
  orderId?: string;

  @IsOptional()
  @IsInt({ message: 'installmentMonths must be a whole number from 0 to 12' })
  @Min(0, { message: 'installmentMonths must be a whole number from 0 to 12' })
  @Max(12, { message: 'installmentMonths must be a whole number from 0 to 12' })
  installmentMonths?: number;

  /** Defaults to the buyer the billing key was registered with. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('charge', 'ordNm')
  buyerName?: string;

  @IsOptional()
  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel?: string;

  @IsOptional()
  @IsEmail()
  @GatewayFieldLimit('charge', 'ordEmail')
  buyerEmail?: string;

  /** The merchant's own customer reference (`mbsUsrId`). */
  @IsOptional()
  @IsString()
  @GatewayFieldLimit('charge', 'mbsUsrId')
  customerRef?: string;

  /** Free text the gateway keeps with the payment (`mbsReserved`). */
  @IsOptional()
  @IsString()
  @GatewayFieldLimit('charge', 'mbsReserved')
  metadata?: string;
}
