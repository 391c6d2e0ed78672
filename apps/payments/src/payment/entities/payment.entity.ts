import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { VatPartColumn, VatSplitColumns } from '../vat/vat-part.column';
import { moneyTransformer } from '../../database/money.transformer';
import type { PaymentStatus } from '../payment-status';
import { TenantIdColumn } from '../../database/tenant-id.column';

/**
 * One charge of a billing key. The row is written (PENDING) before the gateway is called, so a
 * crash always leaves a record that the janitor can resolve with the transaction query. Its VAT split
 * columns hold the amount's split: null when the charge gave none (the gateway split it).
 */
@Entity('payments')
@Index('IDX_payments_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('IDX_payments_tenant_customer', ['tenantId', 'customerId'])
export class PaymentEntity extends VatSplitColumns {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  /** The gateway's `ordNo`: unique, also at the gateway (§4.1, NOTES 15). */
  @Index({ unique: true })
  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId: string;

  @Index()
  @Column({ name: 'billing_key_id', type: 'varchar', length: 40, nullable: true })
  billingKeyId: string | null;

  @Index()
  @Column({ name: 'customer_id', type: 'varchar', length: 100 })
  customerId: string;

  @Column({ name: 'customer_ref', type: 'varchar', length: 100, nullable: true })
  customerRef: string | null;

  @Column({ type: 'varchar', length: 50 })
  merchant: string;

  @Column({ type: 'varchar', length: 20 })
  mid: string;

  @Column({ name: 'pay_method', type: 'varchar', length: 10 })
  payMethod: 'CARD' | 'PHONE';

  @Column({ type: 'varchar', length: 24 })
  status: PaymentStatus;

  @Column({ type: 'bigint', transformer: moneyTransformer })
  amount: number;

  @Column({ name: 'cancelled_amount', type: 'bigint', transformer: moneyTransformer, default: 0 })
  cancelledAmount: number;

  /** Amount reserved by cancels whose answer is still awaited; never refundable twice. */
  @Column({ name: 'pending_cancel_amount', type: 'bigint', transformer: moneyTransformer, default: 0 })
  pendingCancelAmount: number;

  /** What confirmed cancels took of each part (each cancel's share); null with the split. */
  @VatPartColumn('cancelled_supply_amount')
  cancelledSupplyAmount: number | null;

  @VatPartColumn('cancelled_vat_amount')
  cancelledVatAmount: number | null;

  @VatPartColumn('cancelled_service_amount')
  cancelledServiceAmount: number | null;

  @VatPartColumn('cancelled_tax_free_amount')
  cancelledTaxFreeAmount: number | null;

  @Column({ name: 'installment_months', type: 'integer', default: 0 })
  installmentMonths: number;

  @Column({ name: 'goods_name', type: 'varchar', length: 200 })
  goodsName: string;

  @Column({ name: 'buyer_name', type: 'varchar', length: 100 })
  buyerName: string;

  @Column({ name: 'buyer_tel', type: 'varchar', length: 40 })
  buyerTel: string;

  @Column({ name: 'buyer_email', type: 'varchar', length: 120, nullable: true })
  buyerEmail: string | null;

  /** Free text kept by the gateway (`mbsReserved`). */
  @Column({ type: 'text', nullable: true })
  metadata: string | null;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  tid: string | null;

  @Column({ name: 'approval_no', type: 'varchar', length: 30, nullable: true })
  approvalNo: string | null;

  @Column({ name: 'approved_at', type: Date, nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'card_masked', type: 'varchar', length: 32, nullable: true })
  cardMasked: string | null;

  @Column({ name: 'card_issuer_code', type: 'varchar', length: 4, nullable: true })
  cardIssuerCode: string | null;

  @Column({ name: 'card_issuer_name', type: 'varchar', length: 40, nullable: true })
  cardIssuerName: string | null;

  @Column({ name: 'card_acquirer_code', type: 'varchar', length: 4, nullable: true })
  cardAcquirerCode: string | null;

  @Column({ name: 'card_type', type: 'varchar', length: 10, nullable: true })
  cardType: string | null;

  @Column({ name: 'failure_code', type: 'varchar', length: 40, nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'varchar', length: 300, nullable: true })
  failureMessage: string | null;

  @Column({ name: 'failure_category', type: 'varchar', length: 30, nullable: true })
  failureCategory: string | null;

  /** Hash of the caller's Idempotency-Key that created it: a retry of that request finds this payment. */
  @Column({ name: 'idempotency_ref', type: 'varchar', length: 64, nullable: true })
  idempotencyRef: string | null;

  /** When the request was handed to the gateway; null while it has not been. */
  @Column({ name: 'sent_at', type: Date, nullable: true })
  sentAt: Date | null;

  /**
   * The instance an API charge was made by, which records its answer. While the charge is PENDING
   * and that instance is dead (InstanceLiveness), the resolver asks the gateway about it at once
   * rather than after JANITOR_STALE_AFTER_MS. Null for scheduled charges (their subscription's claim
   * is taken over with the instance, and the new owner asks) and on rows written before.
   */
  @Column({ name: 'sender_instance_id', type: 'varchar', length: 40, nullable: true })
  senderInstanceId: string | null;

  /** How often the resolver has asked the gateway about this charge. */
  @Column({ name: 'resolve_attempts', type: 'integer', default: 0 })
  resolveAttempts: number;

  @Index()
  @Column({ name: 'next_resolve_at', type: Date, nullable: true })
  nextResolveAt: Date | null;

  /** Set when the resolver gave up: a person must look (never guessed). */
  @Column({ name: 'needs_attention', type: 'boolean', default: false })
  needsAttention: boolean;

  @Column({ name: 'attention_reason', type: 'varchar', length: 300, nullable: true })
  attentionReason: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
