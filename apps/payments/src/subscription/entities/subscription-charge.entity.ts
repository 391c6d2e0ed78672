import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TenantIdColumn } from '../../database/tenant-id.column';

/** CLAIMED: an instance owns this attempt; then the outcome of its payment. */
export type SubscriptionChargeStatus = 'CLAIMED' | 'APPROVED' | 'DECLINED' | 'UNKNOWN';

/**
 * One attempt at charging one period. The unique (subscription, period, attempt) row is the claim:
 * whichever instance inserts it owns the attempt; its orderId is derived from those three, so the
 * same attempt can only ever be one payment at the gateway.
 */
@Entity('subscription_charges')
@Index(['subscriptionId', 'periodIndex', 'attempt'], { unique: true })
export class SubscriptionChargeEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'subscription_id', type: 'varchar', length: 40 })
  subscriptionId: string;

  @Column({ name: 'period_index', type: 'integer' })
  periodIndex: number;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ name: 'period_start', type: Date })
  periodStart: Date;

  @Column({ name: 'period_end', type: Date })
  periodEnd: Date;

  @Index({ unique: true })
  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 40, nullable: true })
  paymentId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: SubscriptionChargeStatus;

  @Column({ name: 'failure_code', type: 'varchar', length: 40, nullable: true })
  failureCode: string | null;

  /** Until when the claiming instance owns it, however alive it looks; a claim past this was abandoned and is taken over. */
  @Column({ name: 'claimed_until', type: Date })
  claimedUntil: Date;

  /** The instance that claimed it (`service_instances`): once that instance is dead, the claim is taken over at once. Null on claims older than instance liveness. */
  @Column({ name: 'owner_instance_id', type: 'varchar', length: 40, nullable: true })
  ownerInstanceId: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
