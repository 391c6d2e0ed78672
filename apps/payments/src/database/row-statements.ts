import type { Driver, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { preparable } from './prepared-statements';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** Conditions by property name, joined with AND: equal to a value, or one of a list (`IN`). */
export type RowWhere<T> = { [K in keyof T]?: T[K] | readonly T[K][] };

/**
 * The charge's statements without TypeORM's query builder, which cost more CPU than the
 * database itself: the SQL of each shape is written once from the entity's metadata and kept,
 * and values are converted by the driver as TypeORM's own inserts, updates and finds convert them
 * (transformers, dates, booleans). Every statement still runs through TypeORM's query runner (its
 * logger, its error type, the manager's transaction).
 */
const statements = new WeakMap<EntityMetadata, Map<string, string>>();

/** The SQL of one shape, written once; on PostgreSQL a named statement (its result columns are spelled out). */
function statement(m: EntityManager, metadata: EntityMetadata, shape: string, write: () => string): string {
  let shapes = statements.get(metadata);
  if (!shapes) statements.set(metadata, (shapes = new Map()));
  let sql = shapes.get(shape);
  if (sql === undefined) {
    sql = write();
    shapes.set(shape, m.connection.driver.options.type === 'postgres' ? preparable(sql) : sql);
  }
  return sql;
}

/**
 * `INSERT` of every column, not read back. An unset column gets what TypeORM's insert would give
 * it: the version 1, else PostgreSQL's DEFAULT, or on SQLite the entity's default or NULL. With
 * `unlessExists`, a row whose value in that unique column is taken is skipped (`ON CONFLICT … DO
 * NOTHING`: neither an error nor, on PostgreSQL, an aborted transaction). Whether the row went in.
 */
export async function insertRow<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  row: T,
  options: { unlessExists?: (keyof T & string) | 'any-unique-key' } = {},
): Promise<boolean> {
  const { metadata, driver, isSqlite } = contextOf(m, target);
  const params: unknown[] = [];
  const { columns, values } = insertValues(m, metadata, row, params, (column) => unsetValue(column, m, isSqlite));
  const { unlessExists } = options;
  const sql = statement(m, metadata, `insert ${values.join(',')} ${unlessExists}`, () => {
    const insert = `INSERT INTO ${table(m, metadata)} (${columns.join(', ')}) VALUES (${values.join(', ')})`;
    if (!unlessExists) return insert;
    const [key] = metadata.primaryColumns.map((c) => driver.escape(c.databaseName));
    const conflict =
      unlessExists === 'any-unique-key' ? '' : ` (${driver.escape(columnOf(metadata, unlessExists).databaseName)})`;
    return `${insert} ON CONFLICT${conflict} DO NOTHING RETURNING ${key}`;
  });
  const inserted = (await m.query(sql, params)) as unknown[];
  return !unlessExists || inserted.length === 1;
}

/**
 * The inserted columns of `row` and their values: a placeholder for each value set (appended to
 * `params`), else what `unset` gives (a SQL default), or nothing when it gives undefined.
 */
function insertValues<T extends ObjectLiteral>(
  m: EntityManager,
  metadata: EntityMetadata,
  row: T,
  params: unknown[],
  unset: (column: ColumnMetadata) => string | undefined,
): { columns: string[]; values: string[] } {
  const { driver } = m.connection;
  const columns: string[] = [];
  const values: string[] = [];
  for (const column of insertedColumns(metadata)) {
    const value = driver.preparePersistentValue(column.getEntityValue(row), column) as unknown;
    let slot: string | undefined;
    if (value === undefined) slot = unset(column);
    else {
      params.push(value);
      slot = driver.createParameter(column.databaseName, params.length - 1);
    }
    if (slot === undefined) continue;
    columns.push(escapedName(driver, column));
    values.push(slot);
  }
  return { columns, values };
}

/* A table's name, its inserted columns and their quoted names never change: kept, not rebuilt on every statement. */
const insertedColumnsOf = new WeakMap<EntityMetadata, readonly ColumnMetadata[]>();
const escapedNames = new WeakMap<ColumnMetadata, string>();
const tableNames = new WeakMap<EntityMetadata, string>();

function insertedColumns(metadata: EntityMetadata): readonly ColumnMetadata[] {
  let columns = insertedColumnsOf.get(metadata);
  if (!columns) insertedColumnsOf.set(metadata, (columns = metadata.columns.filter((c) => c.isInsert)));
  return columns;
}

function escapedName(driver: Driver, column: ColumnMetadata): string {
  let name = escapedNames.get(column);
  if (name === undefined) escapedNames.set(column, (name = driver.escape(column.databaseName)));
  return name;
}

/**
 * Sets the columns `row` leaves unset to what its {@link insertRow} stores (the entity's default,
 * else null; version 1; the create and update dates now), so that the object is the row as stored:
 * what a later guarded change of it predicts the row to become starts from every column.
 */
export function asInserted<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: T): T {
  const now = new Date();
  for (const column of contextOf(m, target).metadata.columns) {
    if (column.getEntityValue(row) !== undefined) continue;
    if (column.isVersion) column.setEntityValue(row, 1);
    else if (column.isCreateDate || column.isUpdateDate) column.setEntityValue(row, now);
    else column.setEntityValue(row, typeof column.default === 'function' ? null : (column.default ?? null));
  }
  return row;
}

/**
 * The parts of an `INSERT` of `row` for a statement of several (GuardedWrites): the table, the
 * columns set and their placeholders, numbered on from `params`, to which their values are
 * appended. An unset column is left out, to take its default (an unset version is 1).
 */
export function insertParts<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  row: T,
  params: unknown[],
): { table: string; columns: string[]; values: string[] } {
  const { metadata } = contextOf(m, target);
  const { columns, values } = insertValues(m, metadata, row, params, (column) => (column.isVersion ? '1' : undefined));
  return { table: table(m, metadata), columns, values };
}

/** The first row that matches `where` (no order: for unique keys), as an entity; null when none. */
export async function findRow<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  where: RowWhere<T>,
): Promise<T | null>;
/** Only the `columns` asked for: a narrow look at a wide row, hydrated as the whole row would be. */
export async function findRow<T extends ObjectLiteral, K extends keyof T & string>(
  m: EntityManager,
  target: EntityTarget<T>,
  where: RowWhere<T>,
  columns: readonly K[],
): Promise<Pick<T, K> | null>;
export async function findRow<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  where: RowWhere<T>,
  columns?: readonly string[],
): Promise<T | null> {
  const { metadata, driver } = contextOf(m, target);
  const params: unknown[] = [];
  const condition = conditionOf(m, metadata, where, params);
  const selected = columns?.map((property) => columnOf(metadata, property));
  const sql = statement(
    m,
    metadata,
    `find ${columns?.join(',') ?? '*'} ${condition}`,
    () => `SELECT ${columnList(metadata, driver, selected)} FROM ${table(m, metadata)} WHERE ${condition} LIMIT 1`,
  );
  const rows = (await m.query(sql, params)) as Record<string, unknown>[];
  return rows.length > 0 ? hydrate<T>(m, metadata, rows[0], driver, selected) : null;
}

/**
 * `UPDATE … SET changes WHERE where`, moving the version and update date as TypeORM's update does;
 * with `returning`, the rows it leaves (every column returned, on either database) as entities. Runs in a
 * transaction (UnitOfWork.run): the manager's own runner gives the structured result on both drivers.
 */
export async function updateRows<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  changes: Partial<T>,
  where: RowWhere<T>,
  returning: boolean,
): Promise<{ affected: number; rows: T[] }> {
  if (!m.queryRunner) throw new Error('updateRows() runs in a transaction (UnitOfWork.run)');
  const { metadata, driver } = contextOf(m, target);
  const params: unknown[] = [];
  const { table: name, sets, condition } = updateParts(m, target, changes, where, params);
  const sql = statement(
    m,
    metadata,
    `update ${sets.join(',')} ${condition} ${returning}`,
    () =>
      `UPDATE ${name} SET ${sets.join(', ')} WHERE ${condition}${returning ? ` RETURNING ${columnList(metadata, driver)}` : ''}`,
  );
  const result = await m.queryRunner.query(sql, params, true);
  const rows = returning
    ? (result.records as Record<string, unknown>[]).map((r) => hydrate<T>(m, metadata, r, driver))
    : [];
  return { affected: result.affected ?? rows.length, rows };
}

/**
 * The parts of `UPDATE … SET changes WHERE where`: the table, the assignments (the version and
 * update date moved as TypeORM's update moves them, unless `changes` sets them) and the condition,
 * placeholders numbered on from `params`, to which their values are appended.
 */
export function updateParts<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  changes: Partial<T>,
  where: RowWhere<T>,
  params: unknown[],
): { table: string; sets: string[]; condition: string } {
  const { metadata, driver } = contextOf(m, target);
  // An undefined change is no change, as for TypeORM's update.
  const changed = Object.keys(changes).filter((property) => changes[property] !== undefined);
  const sets = changed.map((property) => {
    const column = columnOf(metadata, property);
    params.push(driver.preparePersistentValue(changes[property], column));
    return `${escapedName(driver, column)} = ${driver.createParameter(column.databaseName, params.length - 1)}`;
  });
  const moved = [metadata.versionColumn, metadata.updateDateColumn].filter(
    (c): c is ColumnMetadata => !!c && !changed.includes(c.propertyName),
  );
  for (const c of moved)
    sets.push(
      c.isVersion
        ? `${escapedName(driver, c)} = ${escapedName(driver, c)} + 1`
        : `${escapedName(driver, c)} = CURRENT_TIMESTAMP`,
    );
  return { table: table(m, metadata), sets, condition: conditionOf(m, metadata, where, params) };
}

function contextOf<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>) {
  const driver = m.connection.driver;
  return { metadata: m.connection.getMetadata(target), driver, isSqlite: driver.options.type !== 'postgres' };
}

function unsetValue(column: ColumnMetadata, m: EntityManager, isSqlite: boolean): string {
  if (column.isVersion) return '1';
  if (!isSqlite) return 'DEFAULT';
  return column.default !== undefined && column.default !== null
    ? m.connection.driver.normalizeDefault(column)!
    : 'NULL';
}

/** `"a" = ? AND "b" IN (?, ?)` (placeholders in the driver's style), its values appended to `params`. */
function conditionOf<T extends ObjectLiteral>(
  m: EntityManager,
  metadata: EntityMetadata,
  where: RowWhere<T>,
  params: unknown[],
): string {
  const { driver } = m.connection;
  const placeholder = (column: ColumnMetadata, value: unknown) => {
    // `= NULL` matches nothing, and leaving the condition out would match too much.
    if (value === undefined || value === null)
      throw new Error(`${metadata.name}: no value for the condition on ${column.propertyName}`);
    params.push(driver.preparePersistentValue(value, column));
    return driver.createParameter(column.databaseName, params.length - 1);
  };
  return Object.keys(where)
    .map((property) => {
      const column = columnOf(metadata, property);
      const name = escapedName(driver, column);
      const value = where[property] as unknown;
      if (!Array.isArray(value)) return `${name} = ${placeholder(column, value)}`;
      if (value.length === 0) throw new Error(`${metadata.name}: an empty list for the condition on ${property}`);
      return `${name} IN (${value.map((v) => placeholder(column, v)).join(', ')})`;
    })
    .join(' AND ');
}

/**
 * The columns selected or returned, spelled out (every column of the entity when none are named):
 * never `*`, so that a column a migration adds does not change a prepared statement's result.
 */
function columnList(
  metadata: EntityMetadata,
  driver: Driver,
  columns: readonly ColumnMetadata[] = metadata.columns,
): string {
  return columns.map((column) => escapedName(driver, column)).join(', ');
}

function columnOf(metadata: EntityMetadata, property: string): ColumnMetadata {
  const column = metadata.findColumnWithPropertyPath(property);
  if (!column) throw new Error(`${metadata.name} has no column ${property}`);
  return column;
}

function table(m: EntityManager, metadata: EntityMetadata): string {
  let name = tableNames.get(metadata);
  if (name === undefined)
    tableNames.set(
      metadata,
      (name = metadata.tablePath
        .split('.')
        .map((part) => m.connection.driver.escape(part))
        .join('.')),
    );
  return name;
}

/** Rows a statement of one's own returned (`RETURNING *`), as entities: as TypeORM's find would hydrate them. */
export function hydrateRows<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  rows: Record<string, unknown>[],
): T[] {
  const { metadata, driver } = contextOf(m, target);
  return rows.map((row) => hydrate<T>(m, metadata, row, driver));
}

/** A row as a SELECT through TypeORM hydrates it: every column (or those selected) through the driver and its transformer. */
function hydrate<T extends ObjectLiteral>(
  m: EntityManager,
  metadata: EntityMetadata,
  row: Record<string, unknown>,
  driver = m.connection.driver,
  columns: readonly ColumnMetadata[] = metadata.columns,
): T {
  const entity = metadata.create() as T;
  for (const column of columns)
    column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
  return entity;
}
