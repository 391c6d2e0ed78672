import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

export class ListSubscriptionsQuery {
  @ApiProperty({ type: String, maxLength: 100, description: 'The customer whose subscriptions to list' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;
}
