import type { EntityManager, EntityTarget, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';

/**
 * `UPDATE … SET changes WHERE condition RETURNING *`, the rows as entities: a conditional update
 * and the row it leaves in one statement, with no read before or after. TypeORM builds the UPDATE
 * (column names, value transformers, the version and update-date columns) but will not add
 * RETURNING on SQLite, which has it since 3.35 (better-sqlite3 bundles a newer one), so it is
 * appended here and the rows hydrated as a SELECT's would be.
 */
export async function updateReturning<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  changes: QueryDeepPartialEntity<T>,
  condition: string,
  parameters: Record<string, unknown>,
): Promise<T[]> {
  const [sql, values] = m
    .createQueryBuilder()
    .update(target)
    .set(changes)
    .where(condition, parameters)
    .updateEntity(false)
    .getQueryAndParameters();
  // The manager's own runner: the structured result has the rows on either driver (a plain query gives [rows, count] on PostgreSQL).
  if (!m.queryRunner) throw new Error('updateReturning() runs in a transaction (UnitOfWork.run)');
  const { records } = await m.queryRunner.query(`${sql} RETURNING *`, values, true);
  return (records as Record<string, unknown>[]).map((row) => hydrate(m, target, row));
}

function hydrate<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = m.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns)
    column.setEntityValue(entity, m.connection.driver.prepareHydratedValue(row[column.databaseName], column));
  return entity;
}
