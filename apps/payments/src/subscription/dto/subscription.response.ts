import { ApiProperty } from '@nestjs/swagger';
import { enumValues } from '../../common/openapi/enum-values';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../payment/payment-status';
import { VatPartsResponse } from '../../payment/dto/payment.response';
import type { BillingInterval } from '../calendar/billing-calendar';
import type { SubscriptionChargeStatus } from '../entities/subscription-charge.entity';
import type { SubscriptionStatus } from '../subscription-status';
import type { subscriptionChargeView, SubscriptionView } from '../subscription.view';

/** A subscription as the API shows it (`subscriptionView`, CONTRACT.md "Subscriptions"). */
export class SubscriptionResponse implements SubscriptionView {
  @ApiProperty({ type: String, example: 'sub_5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b' })
  id: string;

  @ApiProperty({ type: String })
  customerId: string;

  @ApiProperty({ type: String })
  billingKeyId: string;

  @ApiProperty({ type: Number, description: 'Whole KRW each period', example: 9900 })
  amount: number;

  @ApiProperty({ type: String, enum: ['KRW'] })
  currency: string;

  @ApiProperty({ type: String })
  goodsName: string;

  @ApiProperty({
    type: () => VatPartsResponse,
    nullable: true,
    description:
      'The VAT split every period is charged with; null when the subscription gave none (the gateway splits each charge, or a merchant whose VAT mode is `amounts` sends it all as taxable)',
  })
  vatAmounts: VatPartsResponse | null;

  @ApiProperty({ enum: enumValues<BillingInterval>({ monthly: true, weekly: true, yearly: true }) })
  interval: BillingInterval;

  @ApiProperty({ type: Number, description: 'Day of month 1–31 (monthly, yearly) or ISO weekday 1–7 (weekly)' })
  anchorDay: number;

  @ApiProperty({ type: String, format: 'date-time' })
  startAt: string;

  @ApiProperty({
    enum: enumValues<SubscriptionStatus>({ ACTIVE: true, PAST_DUE: true, UNPAID: true, PAUSED: true, CANCELLED: true }),
    description: 'PAST_DUE: the period was declined and is being retried; UNPAID: retries ran out',
  })
  status: SubscriptionStatus;

  @ApiProperty({ type: String, nullable: true, example: 'billing_key_deleted' })
  statusReason: string | null;

  @ApiProperty({ type: Number, description: 'Index of the period being charged, from 0' })
  currentPeriod: number;

  @ApiProperty({ type: Number, description: 'Retries of the current period so far' })
  retryAttempt: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextChargeAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
}

export class SubscriptionListResponse {
  @ApiProperty({ type: () => [SubscriptionResponse] })
  data: SubscriptionResponse[];
}

/** One attempt to charge one period. */
export class SubscriptionChargeResponse implements ReturnType<typeof subscriptionChargeView> {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: Number })
  period: number;

  @ApiProperty({ type: Number })
  attempt: number;

  @ApiProperty({ type: String, format: 'date-time' })
  periodStart: string;

  @ApiProperty({ type: String, format: 'date-time' })
  periodEnd: string;

  @ApiProperty({ type: String })
  orderId: string;

  @ApiProperty({
    enum: enumValues<SubscriptionChargeStatus>({ CLAIMED: true, APPROVED: true, DECLINED: true, UNKNOWN: true }),
  })
  status: SubscriptionChargeStatus;

  @ApiProperty({ type: String, nullable: true })
  failureCode: string | null;

  @ApiProperty({ type: String, nullable: true })
  paymentId: string | null;

  @ApiProperty({ type: Number, nullable: true })
  amount: number | null;

  @ApiProperty({ enum: PAYMENT_STATUSES, nullable: true, description: 'The status of the payment it made' })
  paymentStatus: PaymentStatus | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
}

export class SubscriptionChargeListResponse {
  @ApiProperty({ type: () => [SubscriptionChargeResponse] })
  data: SubscriptionChargeResponse[];
}
