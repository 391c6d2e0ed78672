import { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Migrations are written once with TypeORM's schema builder and run on SQLite and PostgreSQL
 * alike; these helpers pick the few types that differ.
 */
export function columnKit(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const timestamp = postgres ? 'timestamptz' : 'datetime';
  const now = postgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";
  return {
    id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '40', isPrimary: true }),
    text: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    longText: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    integer: (name: string, defaultValue?: number): TableColumnOptions => ({
      name,
      type: 'integer',
      default: defaultValue,
      isNullable: defaultValue === undefined,
    }),
    money: (name: string, defaultValue?: number): TableColumnOptions => ({
      name,
      type: 'bigint',
      default: defaultValue,
      isNullable: false,
    }),
    flag: (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false, isNullable: false }),
    timestamp: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: timestamp,
      isNullable: nullable,
    }),
    createdAt: (): TableColumnOptions => ({ name: 'created_at', type: timestamp, default: now, isNullable: false }),
    updatedAt: (): TableColumnOptions => ({ name: 'updated_at', type: timestamp, default: now, isNullable: false }),
  };
}
