import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantIdColumn } from '../../database/tenant-id.column';

/**
 * A domain event, written in the same transaction as the state it describes (outbox).
 * `seq` orders events for `GET /v1/events?after=`; `id` is the public identifier.
 */
@Entity('outbox_events')
@Index('IDX_outbox_tenant_seq', ['tenantId', 'seq'])
// The events not yet published, oldest first: the relay's queue (the only lookup by published_at).
@Index('IDX_outbox_unpublished_seq', ['seq'], { where: 'published_at IS NULL' })
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ type: 'varchar', length: 60 })
  type: string;

  @Column({ name: 'occurred_at', type: Date })
  occurredAt: Date;

  @Column({ type: 'text' })
  data: string;

  /** When the relay delivered it (in process and, when configured, to the broker); null until then. */
  @Column({ name: 'published_at', type: Date, nullable: true })
  publishedAt: Date | null;

  /** Until when an instance's relay owns it; after a failed delivery, when it is tried again. */
  @Column({ name: 'relay_claimed_until', type: Date, nullable: true })
  relayClaimedUntil: Date | null;

  /**
   * The instance whose relay is delivering it: its claim is freed as soon as that instance is dead
   * (InstanceLiveness), not only when the lease runs out. Null when unclaimed, waiting to be tried
   * again, or claimed before claims had owners.
   */
  @Column({ name: 'relay_owner_instance_id', type: 'varchar', length: 40, nullable: true })
  relayOwnerInstanceId: string | null;
}
