import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

const OUTCOME_COLUMNS = ['status', 'reason', 'applyAttempts', 'nextAttemptAt', 'appliedAt'] as const;

/**
 * Writes notification rows, what arrives together in one transaction (one commit, one fsync on
 * SQLite, instead of one each); a write counts only once its transaction has committed, so nothing
 * is acknowledged before it is durable. Each row is one plain statement, the same text every time
 * (prepared once, never a new statement per batch size), its values converted by TypeORM as its
 * own inserts and updates convert them.
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
  private statements?: { insert: string; settle: string };

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
    const { insert } = (this.statements ??= statementsOf(m));
    const inserted: boolean[] = [];
    for (const row of rows) inserted.push(((await m.query(insert, insertValues(m, row))) as unknown[]).length === 1);
    return inserted;
  }

  private async settleAll(m: EntityManager, outcomes: NotificationOutcome[]): Promise<void[]> {
    const { settle } = (this.statements ??= statementsOf(m));
    for (const outcome of outcomes) await m.query(settle, settleValues(m, outcome));
    return outcomes.map(() => undefined);
  }
}

function statementsOf(m: EntityManager): { insert: string; settle: string } {
  const { driver } = m.connection;
  const metadata = m.connection.getMetadata(GatewayNotificationEntity);
  const name = (property: string) => driver.escape(metadata.findColumnWithPropertyName(property)!.databaseName);
  const table = driver.escape(metadata.tablePath);
  const all = metadata.columns.map((c) => driver.escape(c.databaseName));
  const parameter = (i: number) => driver.createParameter(`p${i}`, i);
  return {
    insert:
      `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((_, i) => parameter(i)).join(', ')}) ` +
      `ON CONFLICT (${name('dedupKey')}) DO NOTHING RETURNING ${name('id')}`,
    settle:
      `UPDATE ${table} SET ${OUTCOME_COLUMNS.map((c, i) => `${name(c)} = ${parameter(i)}`).join(', ')} ` +
      `WHERE ${name('id')} = ${parameter(OUTCOME_COLUMNS.length)}`,
  };
}

function insertValues(m: EntityManager, row: GatewayNotificationEntity): unknown[] {
  const { columns } = m.connection.getMetadata(GatewayNotificationEntity);
  return columns.map((c) => m.connection.driver.preparePersistentValue(c.getEntityValue(row), c) as unknown);
}

function settleValues(m: EntityManager, outcome: NotificationOutcome): unknown[] {
  const metadata = m.connection.getMetadata(GatewayNotificationEntity);
  const persisted = OUTCOME_COLUMNS.map((property) => {
    const column = metadata.findColumnWithPropertyName(property)!;
    return m.connection.driver.preparePersistentValue(outcome[property], column) as unknown;
  });
  return [...persisted, outcome.id];
}
