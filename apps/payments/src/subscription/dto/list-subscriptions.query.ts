import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ListSubscriptionsQuery {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;
}
