import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CARD_COMPANIES } from '@app/paystory';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';
import { MatchesCardType } from './matches-card-type.validator';

/** Body of `POST /v1/billing-keys` (card API, guide §14). The card data is used for this one gateway call only. */
export class CreateBillingKeyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;

  @Matches(/^\d{13,19}$/, { message: 'cardNo must be 13 to 19 digits' })
  cardNo: string;

  @Matches(/^\d{2}(0[1-9]|1[0-2])$/, { message: 'expiry must be YYMM' })
  expiry: string;

  @Matches(/^(\d{6}|\d{10})$/, {
    message: 'birthOrBusinessNo must be a 6-digit birth date (YYMMDD) or a 10-digit business number',
  })
  @MatchesCardType()
  birthOrBusinessNo: string;

  @Matches(/^\d{2}$/, { message: 'cardPassword2 must be the first two digits of the card password' })
  cardPassword2: string;

  @IsIn(['personal', 'corporate'])
  cardType: 'personal' | 'corporate';

  /** The card company code (guide §13), which the gateway requires (§14.3 `cpCd`). */
  @IsIn(CARD_COMPANIES.map((c) => c.code), {
    message: 'cardCompanyCode must be a two-digit card company code (guide §13), e.g. 04 for Samsung',
  })
  cardCompanyCode: string;

  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('registerBillingKey', 'ordNm')
  buyerName: string;

  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(60)
  buyerEmail?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('registerBillingKey', 'goodsNm')
  goodsName?: string;
}
