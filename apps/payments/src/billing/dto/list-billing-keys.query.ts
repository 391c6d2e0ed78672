import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

export class ListBillingKeysQuery {
  @ApiProperty({ type: String, maxLength: 100, description: 'The customer whose billing keys to list' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;
}
