import {
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';

/** Body of `POST /v1/billing-keys/auth-sessions`: start a registration in the gateway's auth window (§4.1). */
export class CreateAuthSessionDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;

  @IsIn(['CARD', 'PHONE'])
  payMethod: 'CARD' | 'PHONE';

  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('authRequest', 'ordNm')
  buyerName: string;

  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel: string;

  @IsOptional()
  @IsEmail()
  @GatewayFieldLimit('authRequest', 'ordEmail')
  buyerEmail?: string;

  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('authRequest', 'goodsNm')
  goodsName: string;

  /** Language of the auth window and of the result page. */
  @IsOptional()
  @IsIn(['KOR', 'ENG'])
  language?: 'KOR' | 'ENG';

  /** Phone billing charges at issuance (§3.1.3): the first month's amount, in whole KRW. Not for cards. */
  @ValidateIf((o: CreateAuthSessionDto) => o.payMethod === 'PHONE' || o.amount !== undefined)
  @IsInt({ message: 'amount must be a whole number of KRW (required for PHONE: the first charge)' })
  @Min(100, { message: 'amount must be at least 100 KRW' })
  amount?: number;
}
