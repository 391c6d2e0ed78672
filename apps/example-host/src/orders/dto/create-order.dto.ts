import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';

/** Body of `POST /api/v1/orders`, validated by the host's own pipe (no whitelist: extra fields pass). */
export class CreateOrderDto {
  @IsString()
  @IsNotEmpty()
  billingKeyId: string;

  @IsInt()
  @Min(1)
  amount: number;

  @IsString()
  @IsNotEmpty()
  goodsName: string;

  /** Not validated: the host's pipe keeps what it does not know, PaymentsModule's would refuse it. */
  giftMessage?: string;
}
