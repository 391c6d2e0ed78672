import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { updateRows, type RowWhere } from './row-statements';

/**
 * `UPDATE … SET changes WHERE where RETURNING *`, the rows as entities: a conditional update and
 * the row it leaves in one statement, with no read before or after (SQLite has RETURNING since
 * 3.35; better-sqlite3 bundles a newer one). Runs in a transaction (UnitOfWork.run).
 */
export async function updateReturning<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  changes: Partial<T>,
  where: RowWhere<T>,
): Promise<T[]> {
  return (await updateRows(m, target, changes, where, true)).rows;
}
