import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../common/openapi/gateway-bytes';
import { CARD_COMPANIES } from '@app/paystory';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';
import { MatchesCardType } from './matches-card-type.validator';

/** Body of `POST /v1/billing-keys` (card API, guide §14). The card data is used for this one gateway call only. */
export class CreateBillingKeyDto {
  @ApiProperty({ type: String, maxLength: 100, description: 'Your id of the customer', example: 'c-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;

  @ApiProperty({
    type: String,
    pattern: '^\\d{13,19}$',
    description: 'Used for this one gateway call; never stored, logged or echoed',
  })
  @Matches(/^\d{13,19}$/, { message: 'cardNo must be 13 to 19 digits' })
  cardNo: string;

  @ApiProperty({ type: String, pattern: '^\\d{2}(0[1-9]|1[0-2])$', description: 'YYMM', example: '2912' })
  @Matches(/^\d{2}(0[1-9]|1[0-2])$/, { message: 'expiry must be YYMM' })
  expiry: string;

  @ApiProperty({
    type: String,
    pattern: '^(\\d{6}|\\d{10})$',
    description: 'A 6-digit birth date (YYMMDD) for a personal card, a 10-digit business number for a corporate card',
  })
  @Matches(/^(\d{6}|\d{10})$/, {
    message: 'birthOrBusinessNo must be a 6-digit birth date (YYMMDD) or a 10-digit business number',
  })
  @MatchesCardType()
  birthOrBusinessNo: string;

  @ApiProperty({ type: String, pattern: '^\\d{2}$', description: 'The first two digits of the card password' })
  @Matches(/^\d{2}$/, { message: 'cardPassword2 must be the first two digits of the card password' })
  cardPassword2: string;

  @ApiProperty({ enum: ['personal', 'corporate'] })
  @IsIn(['personal', 'corporate'])
  cardType: 'personal' | 'corporate';

  /** The card company code (guide §13), which the gateway requires (§14.3 `cpCd`). */
  @ApiProperty({
    enum: CARD_COMPANIES.map((c) => c.code),
    description: 'The card company (guide §13), which the gateway requires (§14.3 `cpCd`)',
    example: '04',
  })
  @IsIn(CARD_COMPANIES.map((c) => c.code), {
    message: 'cardCompanyCode must be a two-digit card company code (guide §13), e.g. 04 for Samsung',
  })
  cardCompanyCode: string;

  @ApiProperty({ type: String, description: gatewayBytes('registerBillingKey', 'ordNm'), example: '홍길동' })
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('registerBillingKey', 'ordNm')
  buyerName: string;

  @ApiProperty({ type: String, pattern: '^\\d{9,20}$', example: '01012345678' })
  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel: string;

  @ApiPropertyOptional({ type: String, format: 'email', maxLength: 60 })
  @IsOptional()
  @IsEmail()
  @MaxLength(60)
  buyerEmail?: string;

  @ApiPropertyOptional({ type: String, description: gatewayBytes('registerBillingKey', 'goodsNm') })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('registerBillingKey', 'goodsNm')
  goodsName?: string;
}
