import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One signed-in console session. The cookie carries a random token; the row is keyed by its
 * SHA-256, so reading the table signs no one in. The CSRF token every form posts back lives here.
 */
@Entity('operator_sessions')
export class OperatorSessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Index()
  @Column({ name: 'operator_id', type: 'varchar', length: 40 })
  operatorId: string;

  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  /** The latest request; the session ends CONSOLE_SESSION_IDLE_MINUTES after it. */
  @Column({ name: 'last_seen_at', type: Date })
  lastSeenAt: Date;

  /** CONSOLE_SESSION_MAX_HOURS after sign-in, however busy. */
  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;
}
