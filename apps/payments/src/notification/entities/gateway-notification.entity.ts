import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TenantIdColumn } from '../../database/tenant-id.column';

/**
 * RECEIVED: stored, not yet applied; REJECTED: the hash failed or ediDate was stale, never applied
 * (deleted after PAYSTORY_NOTI_REJECTED_RETENTION_DAYS); APPLIED: money state
 * brought in line (or already was); AWAITING_CONFIRMATION: the transaction query does not show it yet;
 * IGNORED: nothing for a billing service to do (a non-success code, another payment means, or never confirmed).
 */
export type NotificationStatus = 'RECEIVED' | 'REJECTED' | 'APPLIED' | 'AWAITING_CONFIRMATION' | 'IGNORED';

/** One back-end notification (§10) as received, stored before it is acknowledged. */
@Entity('gateway_notifications')
export class GatewayNotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  /**
   * What makes two deliveries the same notification; unique, so retries are stored once and applied
   * once. For a rejected row, a digest of the fields, the source and the rejection: one row per body.
   */
  @Index({ unique: true })
  @Column({ name: 'dedup_key', type: 'varchar', length: 64 })
  dedupKey: string;

  @Index()
  @Column({ type: 'varchar', length: 24 })
  status: NotificationStatus;

  @Column({ type: 'varchar', length: 300, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  tid: string | null;

  @Column({ name: 'order_no', type: 'varchar', length: 40, nullable: true })
  orderNo: string | null;

  @Column({ name: 'result_code', type: 'varchar', length: 10, nullable: true })
  resultCode: string | null;

  /** The fields as received, credentials redacted (the card number in them is the gateway's masked one). */
  @Column({ type: 'text' })
  fields: string;

  /** The notification in domain names, as the library parsed it (null when rejected). */
  @Column({ type: 'text', nullable: true })
  parsed: string | null;

  @Column({ name: 'source_ip', type: 'varchar', length: 64, nullable: true })
  sourceIp: string | null;

  /** How many times it was delivered (by the gateway, or by whoever posts a rejected body again). */
  @Column({ type: 'integer', default: 1 })
  deliveries: number;

  @Column({ name: 'apply_attempts', type: 'integer', default: 0 })
  applyAttempts: number;

  /** When the retrier next tries to apply it; null = as soon as possible (a RECEIVED row). */
  @Column({ name: 'next_attempt_at', type: Date, nullable: true })
  nextAttemptAt: Date | null;

  /** The first delivery. */
  @Column({ name: 'received_at', type: Date })
  receivedAt: Date;

  /** The latest delivery; a rejected row is swept once this is older than the retention. */
  @Column({ name: 'last_received_at', type: Date })
  lastReceivedAt: Date;

  @Column({ name: 'applied_at', type: Date, nullable: true })
  appliedAt: Date | null;
}
