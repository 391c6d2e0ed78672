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
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../common/openapi/gateway-bytes';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';

/** Body of `POST /v1/billing-keys/auth-sessions`: start a registration in the gateway's auth window (§4.1). */
export class CreateAuthSessionDto {
  @ApiProperty({ type: String, maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;

  @ApiProperty({ enum: ['CARD', 'PHONE'] })
  @IsIn(['CARD', 'PHONE'])
  payMethod: 'CARD' | 'PHONE';

  @ApiProperty({ type: String, description: gatewayBytes('authRequest', 'ordNm') })
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('authRequest', 'ordNm')
  buyerName: string;

  @ApiProperty({ type: String, pattern: '^\\d{9,20}$' })
  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel: string;

  @ApiPropertyOptional({ type: String, format: 'email', description: gatewayBytes('authRequest', 'ordEmail') })
  @IsOptional()
  @IsEmail()
  @GatewayFieldLimit('authRequest', 'ordEmail')
  buyerEmail?: string;

  @ApiProperty({ type: String, description: gatewayBytes('authRequest', 'goodsNm') })
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('authRequest', 'goodsNm')
  goodsName: string;

  /** Language of the auth window and of the result page. */
  @ApiPropertyOptional({ enum: ['KOR', 'ENG'], description: 'Language of the auth window and of the result page' })
  @IsOptional()
  @IsIn(['KOR', 'ENG'])
  language?: 'KOR' | 'ENG';

  /** Phone billing charges at issuance (§3.1.3): the first month's amount, in whole KRW. Not for cards. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 100,
    description: 'PHONE only, and required there: the first charge, made at issuance (§3.1.3), whole KRW',
  })
  @ValidateIf((o: CreateAuthSessionDto) => o.payMethod === 'PHONE' || o.amount !== undefined)
  @IsInt({ message: 'amount must be a whole number of KRW (required for PHONE: the first charge)' })
  @Min(100, { message: 'amount must be at least 100 KRW' })
  amount?: number;
}
