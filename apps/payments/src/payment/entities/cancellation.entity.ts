import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { VatSplitColumns } from '../vat/vat-part.column';
import { moneyTransformer } from '../../database/money.transformer';
import { TenantIdColumn } from '../../database/tenant-id.column';

/**
 * PENDING: amount reserved against the payment's balance, request on its way;
 * SUCCEEDED: the gateway cancelled it (its own tid, §7.4); FAILED: refused or never sent, reservation released;
 * UNKNOWN: no answer, amount stays reserved until the transaction query tells.
 */
export type CancellationStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';

export type CancellationSource = 'api' | 'gateway' | 'late_approval';

/** One full or partial refund of a payment; its VAT split columns hold its share of the payment's split. */
@Entity('cancellations')
export class CancellationEntity extends VatSplitColumns {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Index()
  @Column({ name: 'payment_id', type: 'varchar', length: 40 })
  paymentId: string;

  /** The cancel's own tid; each partial cancel gets a new one. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  tid: string | null;

  @Column({ type: 'bigint', transformer: moneyTransformer })
  amount: number;

  @Column({ type: 'boolean' })
  partial: boolean;

  @Column({ type: 'varchar', length: 300 })
  reason: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status: CancellationStatus;

  /**
   * Where the cancel came from: this API; the gateway (a cancel made in its admin, learnt from a
   * notification or the query); or this service undoing a charge it had reported as not charged
   * that turned out approved (`late_approval`).
   */
  @Column({ type: 'varchar', length: 16, default: 'api' })
  source: CancellationSource;

  /** Hash of the Idempotency-Key the cancel was asked under (unique): its retry finds this cancel. */
  @Index({ unique: true })
  @Column({ name: 'idempotency_ref', type: 'varchar', length: 64, nullable: true })
  idempotencyRef: string | null;

  @Column({ name: 'failure_code', type: 'varchar', length: 40, nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'varchar', length: 300, nullable: true })
  failureMessage: string | null;

  @Column({ name: 'cancelled_at', type: Date, nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'resolve_attempts', type: 'integer', default: 0 })
  resolveAttempts: number;

  @Column({ name: 'next_resolve_at', type: Date, nullable: true })
  nextResolveAt: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
