import { ApiProperty } from '@nestjs/swagger';
import { enumValues } from '../../../common/openapi/enum-values';
import type { ReceiptService } from '../receipt.service';
import { PaymentVatAmountsResponse } from '../../dto/payment.response';

type ReceiptLinkView = Awaited<ReturnType<ReceiptService['link']>>;

/** The gateway's receipt page (§9) for a person to open, and the fields a page posts with the receipt script. */
export class ReceiptResponse implements ReceiptLinkView {
  @ApiProperty({ type: String })
  paymentId: string;

  @ApiProperty({ enum: enumValues<'general' | 'cash'>({ general: true, cash: true }) })
  receiptType: 'general' | 'cash';

  @ApiProperty({ type: String, format: 'uri', description: 'A URL a person opens to see the receipt page' })
  url: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "The fields a merchant page posts with the gateway's receipt.js",
  })
  form: Record<string, string>;

  @ApiProperty({ type: String, format: 'uri' })
  scriptUrl: string;

  @ApiProperty({
    type: () => PaymentVatAmountsResponse,
    nullable: true,
    description: "The payment's VAT split as the receipt shows it (금액, 부가세); null when the charge gave none",
  })
  vatAmounts: PaymentVatAmountsResponse | null;
}
