import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ListBillingKeysQuery {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  customerId: string;
}
