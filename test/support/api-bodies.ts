/** The public shapes of the service's answers (CONTRACT.md "Resources"), as the tests read them. */

/** A billing key (CONTRACT.md "Billing keys"). */
export interface BillingKeyBody {
  id: string;
  customerId: string;
  payMethod: string;
  status: string;
  cardNoMasked: string | null;
  cardCompanyCode: string | null;
  cardCompanyName: string | null;
  issuedAt: string;
  deletedAt: string | null;
}

export type PaymentStatus = 'PENDING' | 'APPROVED' | 'DECLINED' | 'UNKNOWN' | 'CANCELLED' | 'PARTIALLY_CANCELLED';

/** One cancellation of a payment, as the payment lists it after a cancel or a sync, and in events. */
export interface CancellationBody {
  id: string;
  tid: string | null;
  amount: number;
  partial: boolean;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';
  reason: string;
  /** Where the cancel was made: through the API, at the gateway (its admin console), or by the service undoing a late approval. */
  source: 'api' | 'gateway' | 'late_approval';
  cancelledAt: string | null;
  failure: { code: string; message: string | null } | null;
}

/** A payment (CONTRACT.md "Payments"). */
export interface PaymentBody {
  id: string;
  orderId: string;
  tid: string | null;
  status: PaymentStatus;
  amount: number;
  cancelledAmount: number;
  cancellableAmount: number;
  approvalNo: string | null;
  approvedAt: string | null;
  installmentMonths: number;
  goodsName: string;
  billingKeyId: string | null;
  customerId: string;
  card: {
    masked: string | null;
    issuerCode: string | null;
    issuerName: string | null;
    acquirerCode: string | null;
    type: string | null;
  } | null;
  failure: { code: string; message: string | null; category: string | null } | null;
  needsAttention: boolean;
  attentionReason: string | null;
  /** Present in the answers of cancel and sync, and in events. */
  cancellations?: CancellationBody[];
}

/** An `application/problem+json` body. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  gatewayMessage?: string;
  errors?: { field: string; message: string }[];
  payment?: PaymentBody;
}

/** What a call answers that gives a payment on success and a problem (which may carry the payment) otherwise. */
export type PaymentOrProblem = Omit<PaymentBody, 'status'> &
  Omit<ProblemBody, 'status'> & { status: PaymentStatus | number };

/** A subscription (CONTRACT.md "Subscriptions"). */
export interface SubscriptionBody {
  id: string;
  customerId: string;
  billingKeyId: string;
  amount: number;
  goodsName: string;
  interval: 'weekly' | 'monthly' | 'yearly';
  anchorDay: number;
  startAt: string;
  status: 'ACTIVE' | 'PAST_DUE' | 'UNPAID' | 'PAUSED' | 'CANCELLED';
  statusReason: string | null;
  currentPeriod: number;
  retryAttempt: number;
  nextChargeAt: string | null;
  cancelledAt: string | null;
}

/** One attempt at charging one period, as `GET /v1/subscriptions/{id}/charges` lists it. */
export interface SubscriptionChargeBody {
  id: string;
  period: number;
  attempt: number;
  periodStart: string;
  periodEnd: string;
  orderId: string;
  status: 'CLAIMED' | 'APPROVED' | 'DECLINED' | 'UNKNOWN';
  failureCode: string | null;
  paymentId: string | null;
  amount: number | null;
  paymentStatus: PaymentStatus | null;
}

/** One domain event as `GET /v1/events` lists it: `data` is the payment or subscription as it stood after the change. */
export interface EventBody<D extends { id: string } = PaymentBody> {
  id: string;
  /** The tenant of the resource the event is about. */
  tenantId: string;
  type: string;
  /** Orders the events of one service database. */
  sequence: number;
  occurredAt: string;
  data: D;
}
