import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { gatewayBytes } from '../../common/openapi/gateway-bytes';
import { GatewayFieldLimit } from '../../common/validation/gateway-field-limit.decorator';

/** What the person enters on the registration page before the auth window opens. */
export class PrepareAuthSessionDto {
  @ApiProperty({ type: String, description: gatewayBytes('authRequest', 'ordNm') })
  @IsString()
  @IsNotEmpty()
  @GatewayFieldLimit('authRequest', 'ordNm')
  buyerName: string;

  @ApiProperty({ type: String, pattern: '^\\d{9,20}$' })
  @Matches(/^\d{9,20}$/, { message: 'buyerTel must be 9 to 20 digits' })
  buyerTel: string;

  @ApiProperty({ enum: ['CARD', 'PHONE'] })
  @IsIn(['CARD', 'PHONE'])
  payMethod: 'CARD' | 'PHONE';

  @ApiPropertyOptional({ enum: ['KOR', 'ENG'] })
  @IsOptional()
  @IsIn(['KOR', 'ENG'])
  language?: 'KOR' | 'ENG';
}
