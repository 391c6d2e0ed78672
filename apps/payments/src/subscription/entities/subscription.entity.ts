import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { VatSplitColumns } from '../../payment/vat/vat-part.column';
import { moneyTransformer } from '../../database/money.transformer';
import type { BillingInterval } from '../calendar/billing-calendar';
import { billableStatusSql, type SubscriptionStatus } from '../subscription-status';
import { TenantIdColumn } from '../../database/tenant-id.column';

/**
 * A recurring charge of one billing key. Its VAT split columns hold the split every period is charged
 * with (docs/subscriptions.md "VAT split"): null when none was given.
 */
@Entity('subscriptions')
@Index('IDX_subscriptions_tenant_customer', ['tenantId', 'customerId'])
@Index(['status', 'nextChargeAt'])
/** The scheduler's due queue: billable subscriptions by (next_charge_at, id) (its migration says why). */
@Index('IDX_subscriptions_due_queue', ['nextChargeAt', 'id'], { where: billableStatusSql('status') })
export class SubscriptionEntity extends VatSplitColumns {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Index()
  @Column({ name: 'customer_id', type: 'varchar', length: 100 })
  customerId: string;

  @Index()
  @Column({ name: 'billing_key_id', type: 'varchar', length: 40 })
  billingKeyId: string;

  @Column({ type: 'bigint', transformer: moneyTransformer })
  amount: number;

  @Column({ name: 'goods_name', type: 'varchar', length: 200 })
  goodsName: string;

  @Column({ type: 'varchar', length: 10 })
  interval: BillingInterval;

  @Column({ name: 'anchor_day', type: 'integer' })
  anchorDay: number;

  @Column({ name: 'start_at', type: Date })
  startAt: Date;

  @Column({ type: 'varchar', length: 16 })
  status: SubscriptionStatus;

  /** Why it is not ACTIVE (e.g. `billing_key_deleted`, the decline code). */
  @Column({ name: 'status_reason', type: 'varchar', length: 200, nullable: true })
  statusReason: string | null;

  /** The period charged next (0 = the first). */
  @Column({ name: 'period_index', type: 'integer', default: 0 })
  periodIndex: number;

  /** Attempt number within the current period (0 = first try; dunning retries count up). */
  @Column({ type: 'integer', default: 0 })
  attempt: number;

  /** When the scheduler next acts; null while paused, unpaid or cancelled. */
  @Column({ name: 'next_charge_at', type: Date, nullable: true })
  nextChargeAt: Date | null;

  @Column({ name: 'cancelled_at', type: Date, nullable: true })
  cancelledAt: Date | null;

  /** Hash of the Idempotency-Key the subscription was created under (unique): its retry finds this subscription. */
  @Index({ unique: true })
  @Column({ name: 'idempotency_ref', type: 'varchar', length: 64, nullable: true })
  idempotencyRef: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
