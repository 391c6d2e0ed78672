import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** RUNNING: claimed by one instance until `claimedUntil`; COMPLETED: every payment looked at; FAILED: stopped, run it again. */
export type ReconciliationRunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';
export const RECONCILIATION_RUN_STATUSES: readonly ReconciliationRunStatus[] = ['RUNNING', 'COMPLETED', 'FAILED'];

/** Who started the latest attempt: the daily job, or `POST /v1/reconciliations`. */
export type ReconciliationTrigger = 'schedule' | 'api';

/**
 * The reconciliation of one Seoul day for one merchant (MID): one row, unique, claimed by a
 * conditional insert or update so that two instances never run the same day at once. Running the
 * day again starts the next `attempt` on the same row; the counts are the latest attempt's.
 */
@Entity('reconciliation_runs')
@Index(['seoulDate', 'merchant'], { unique: true })
export class ReconciliationRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  /** `YYYY-MM-DD`, Asia/Seoul. */
  @Column({ name: 'seoul_date', type: 'varchar', length: 10 })
  seoulDate: string;

  /** The configured merchant's name (its MID is in `mid`). */
  @Column({ type: 'varchar', length: 50 })
  merchant: string;

  @Column({ type: 'varchar', length: 20 })
  mid: string;

  @Column({ type: 'varchar', length: 16 })
  status: ReconciliationRunStatus;

  @Column({ type: 'integer', default: 1 })
  attempt: number;

  @Column({ name: 'triggered_by', type: 'varchar', length: 16 })
  triggeredBy: ReconciliationTrigger;

  /** Payments the gateway was asked about and answered for. */
  @Column({ type: 'integer', default: 0 })
  checked: number;

  @Column({ type: 'integer', default: 0 })
  matched: number;

  /** Payments whose every mismatch was corrected. */
  @Column({ type: 'integer', default: 0 })
  corrected: number;

  /** Payments with at least one mismatch left for a person. */
  @Column({ type: 'integer', default: 0 })
  attention: number;

  /** Payments the gateway could not be asked about (refused or unreachable): run the day again. */
  @Column({ type: 'integer', default: 0 })
  unchecked: number;

  /** Until when the instance running it owns it; a RUNNING row past this was left by a dead instance. */
  @Column({ name: 'claimed_until', type: Date })
  claimedUntil: Date;

  @Column({ name: 'started_at', type: Date })
  startedAt: Date;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 300, nullable: true })
  failureReason: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
