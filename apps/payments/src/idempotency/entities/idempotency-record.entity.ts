import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'IN_FLIGHT' | 'COMPLETED';

/**
 * One `Idempotency-Key` as first used. The unique (scope, key) index is what makes a key
 * single-use across every instance sharing the database; memory plays no part.
 */
@Entity('idempotency_records')
@Index(['scope', 'key'], { unique: true })
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  /** Hash of the API key the request came with: keys of different callers never collide. */
  @Column({ type: 'varchar', length: 64 })
  scope: string;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  /** Hash of method, path and canonical body: another body with the same key is a conflict. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'varchar', length: 16 })
  state: IdempotencyState;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  /** An IN_FLIGHT record may be taken over once this has passed and its owner is gone. */
  @Column({ name: 'locked_until', type: Date })
  lockedUntil: Date;

  /**
   * The instance running the first request, while the record is IN_FLIGHT; null once released, and
   * on records written before keys had owners (those are freed by the lease alone).
   */
  @Column({ name: 'owner_instance_id', type: 'varchar', length: 40, nullable: true })
  ownerInstanceId: string | null;

  @Index()
  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
