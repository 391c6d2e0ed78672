import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';

/** What the person enters on the registration page before the auth window opens. */
export class PrepareAuthSessionDto {
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('authRequest', 'ordNm')
  buyerName: string;

  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel: string;

  @IsIn(['CARD', 'PHONE'])
  payMethod: 'CARD' | 'PHONE';

  @IsOptional()
  @IsIn(['KOR', 'ENG'])
  language?: 'KOR' | 'ENG';
}
