import { ApiProperty } from '@nestjs/swagger';
import { enumValues } from '../../common/openapi/enum-values';
import type { BillingKeyView } from '../billing-key.view';
import type { BillingKeyStatus } from '../entities/billing-key.entity';

/** A billing key as the API shows it (`billingKeyView`): never the gateway's bid itself. */
export class BillingKeyResponse implements BillingKeyView {
  @ApiProperty({ type: String, example: 'bk_3f0c9e6a1b2d4c5e8f7a6b5c4d3e2f10' })
  id: string;

  @ApiProperty({ type: String, example: 'c-1' })
  customerId: string;

  @ApiProperty({ enum: enumValues<'CARD' | 'PHONE'>({ CARD: true, PHONE: true }) })
  payMethod: 'CARD' | 'PHONE';

  @ApiProperty({ enum: enumValues<BillingKeyStatus>({ ACTIVE: true, DELETED: true }) })
  status: BillingKeyStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The gateway's masked card number",
    example: '536510******5678',
  })
  cardNoMasked: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Card company code (guide §13)', example: '04' })
  cardCompanyCode: string | null;

  @ApiProperty({ type: String, nullable: true, example: '삼성' })
  cardCompanyName: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  issuedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deletedAt: string | null;
}

export class BillingKeyListResponse {
  @ApiProperty({ type: () => [BillingKeyResponse] })
  data: BillingKeyResponse[];
}
