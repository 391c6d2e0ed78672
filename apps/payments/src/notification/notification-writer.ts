import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertRow, updateRows } from '../database/row-statements';
import { UnitOfWork } from '../database/unit-of-work';
import { GatewayNotificationEntity } from './entities/gateway-notification.entity';
import { GroupCommit } from './group-commit';

/** Statements in one transaction at most; a batch holds SQLite's write lock while it runs. */
const MAX_BATCH = 64;

/** What applying a notification came to: the columns {@link NotificationWriter.settle} writes. */
export type NotificationOutcome = Pick<
  GatewayNotificationEntity,
  'id' | 'status' | 'reason' | 'applyAttempts' | 'nextAttemptAt' | 'appliedAt'
>;

/**
 * Writes notification rows, what arrives together in one transaction (one commit, one fsync on
 * SQLite, instead of one each); a write counts only once its transaction has committed, so nothing
 * is acknowledged before it is durable. Each row is one statement of `database/row-statements`, the
 * same text every time (prepared once, never a new statement per batch size).
 */
@Injectable()
export class NotificationWriter {
  private readonly inserts = new GroupCommit<GatewayNotificationEntity, boolean>(
    (rows) => this.uow.run((m) => this.insertAll(m, rows)),
    MAX_BATCH,
  );
  private readonly outcomes = new GroupCommit<NotificationOutcome, void>(
    (outcomes) => this.uow.run((m) => this.settleAll(m, outcomes)),
    MAX_BATCH,
  );

  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Inserts the row unless one with its dedup key exists (`ON CONFLICT … DO NOTHING`: a repeat
   * neither fails the batch nor, on PostgreSQL, aborts its transaction); whether it did.
   */
  insert(row: GatewayNotificationEntity): Promise<boolean> {
    return this.inserts.add(row);
  }

  /** Records what applying the notification came to. */
  settle(outcome: NotificationOutcome): Promise<void> {
    return this.outcomes.add(outcome);
  }

  private async insertAll(m: EntityManager, rows: GatewayNotificationEntity[]): Promise<boolean[]> {
    const inserted: boolean[] = [];
    for (const row of rows)
      inserted.push(await insertRow(m, GatewayNotificationEntity, row, { unlessExists: 'dedupKey' }));
    return inserted;
  }

  private async settleAll(m: EntityManager, outcomes: NotificationOutcome[]): Promise<void[]> {
    for (const { id, ...columns } of outcomes) await updateRows(m, GatewayNotificationEntity, columns, { id }, false);
    return outcomes.map(() => undefined);
  }
}
