import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { enumValues } from '../../common/openapi/enum-values';
import type { CancellationSource, CancellationStatus } from '../entities/cancellation.entity';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payment-status';
import type { cancellationView, PaymentView, vatPartsView } from '../payment.view';

type CancellationView = ReturnType<typeof cancellationView>;
type VatPartsView = NonNullable<ReturnType<typeof vatPartsView>>;

/** A VAT split in whole KRW (docs/payments.md "VAT amounts"); the four add up to the amount they split. */
export class VatPartsResponse implements VatPartsView {
  @ApiProperty({ type: Number, description: 'Supply (공급가) of the taxable goods', example: 10000 })
  supplyAmount: number;

  @ApiProperty({ type: Number, description: 'VAT (부가세)', example: 1000 })
  vatAmount: number;

  @ApiProperty({ type: Number, description: 'Service charge (봉사료)', example: 0 })
  serviceAmount: number;

  @ApiProperty({ type: Number, description: 'Tax-free (면세) supply', example: 0 })
  taxFreeAmount: number;
}

/** A payment's split with what confirmed cancels took of each part and what is left of it. */
export class PaymentVatAmountsResponse extends VatPartsResponse implements NonNullable<PaymentView['vatAmounts']> {
  @ApiProperty({
    type: () => VatPartsResponse,
    description: "What confirmed cancels took of each part (each cancel's share)",
  })
  cancelled: VatPartsResponse;

  @ApiProperty({ type: () => VatPartsResponse, description: 'What is left of each part: the split minus `cancelled`' })
  remaining: VatPartsResponse;
}

export class PaymentCardResponse implements NonNullable<PaymentView['card']> {
  @ApiProperty({ type: String, nullable: true, description: "The gateway's masked card number" })
  masked: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Issuing card company code (guide §13)' })
  issuerCode: string | null;

  @ApiProperty({ type: String, nullable: true })
  issuerName: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Acquiring card company code' })
  acquirerCode: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The gateway's card type" })
  type: string | null;
}

export class PaymentFailureResponse implements NonNullable<PaymentView['failure']> {
  @ApiProperty({ type: String, description: "The gateway's result code (or the service's, e.g. GATEWAY_UNREACHABLE)" })
  code: string;

  @ApiProperty({ type: String, nullable: true })
  message: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What the code means for a retry (docs/gateway-protocol.md)',
  })
  category: string | null;
}

export class CancellationFailureResponse implements NonNullable<CancellationView['failure']> {
  @ApiProperty({ type: String })
  code: string;

  @ApiProperty({ type: String, nullable: true })
  message: string | null;
}

export class CancellationResponse implements CancellationView {
  @ApiProperty({ type: String, example: 'can_0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a' })
  id: string;

  @ApiProperty({ type: String, nullable: true, description: "The gateway's transaction id of the cancel" })
  tid: string | null;

  @ApiProperty({ type: Number, description: 'Whole KRW', example: 5000 })
  amount: number;

  @ApiProperty({ type: Boolean })
  partial: boolean;

  @ApiProperty({
    enum: enumValues<CancellationStatus>({ PENDING: true, SUCCEEDED: true, FAILED: true, UNKNOWN: true }),
  })
  status: CancellationStatus;

  @ApiProperty({ type: String })
  reason: string;

  @ApiProperty({
    enum: enumValues<CancellationSource>({ api: true, gateway: true, late_approval: true }),
    description: 'Who asked for it: this API, the gateway (a notification), or the service (a late approval)',
  })
  source: CancellationSource;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: string | null;

  @ApiProperty({
    type: () => VatPartsResponse,
    nullable: true,
    description: "This cancel's share of the payment's VAT split; null when the payment has none",
  })
  vatAmounts: VatPartsResponse | null;

  @ApiProperty({ type: () => CancellationFailureResponse, nullable: true })
  failure: CancellationFailureResponse | null;
}

/** A payment as the API shows it (`paymentView`, CONTRACT.md "Payments"). Amounts are whole KRW. */
export class PaymentResponse implements PaymentView {
  @ApiProperty({ type: String, example: 'pay_7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f' })
  id: string;

  @ApiProperty({ type: String, description: "The gateway's ordNo", example: 'order-1001' })
  orderId: string;

  @ApiProperty({ type: String, nullable: true, description: "The gateway's transaction id" })
  tid: string | null;

  @ApiProperty({
    enum: PAYMENT_STATUSES,
    description:
      'UNKNOWN (202): the gateway did not answer and the service resolves it by itself; PENDING while in flight',
  })
  status: PaymentStatus;

  @ApiProperty({ type: Number, example: 15000 })
  amount: number;

  @ApiProperty({ type: Number, example: 0 })
  cancelledAmount: number;

  @ApiProperty({ type: Number, description: 'What may still be refunded', example: 15000 })
  cancellableAmount: number;

  @ApiProperty({ type: String, enum: ['KRW'] })
  currency: string;

  @ApiProperty({ type: String, nullable: true })
  approvalNo: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt: string | null;

  @ApiProperty({ type: Number, minimum: 0, maximum: 12 })
  installmentMonths: number;

  @ApiProperty({ type: String })
  goodsName: string;

  @ApiProperty({ type: String, nullable: true })
  billingKeyId: string | null;

  @ApiProperty({ type: String })
  customerId: string;

  @ApiProperty({ type: String, nullable: true, description: "The merchant's own customer reference (`mbsUsrId`)" })
  customerRef: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Free text kept with the payment (`mbsReserved`)' })
  metadata: string | null;

  @ApiProperty({ enum: enumValues<'CARD' | 'PHONE'>({ CARD: true, PHONE: true }) })
  payMethod: 'CARD' | 'PHONE';

  @ApiProperty({ type: () => PaymentCardResponse, nullable: true })
  card: PaymentCardResponse | null;

  @ApiProperty({ type: () => PaymentFailureResponse, nullable: true })
  failure: PaymentFailureResponse | null;

  @ApiProperty({
    type: () => PaymentVatAmountsResponse,
    nullable: true,
    description:
      'The VAT split of the amount, what cancels took and what is left; null when the charge gave none (the gateway split it)',
  })
  vatAmounts: PaymentVatAmountsResponse | null;

  @ApiPropertyOptional({
    type: () => [CancellationResponse],
    description: 'On a single payment (and a cancel answer); absent from lists',
  })
  cancellations: CancellationResponse[] | undefined;

  @ApiProperty({ type: Boolean, description: 'Its outcome could not be settled by itself: a person must look at it' })
  needsAttention: boolean;

  @ApiProperty({ type: String, nullable: true })
  attentionReason: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
}

export class PaymentListResponse {
  @ApiProperty({ type: () => [PaymentResponse] })
  data: PaymentResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}
