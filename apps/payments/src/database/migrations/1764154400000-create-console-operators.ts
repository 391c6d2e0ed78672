import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** The operations console (issue 16): operator accounts and their signed-in sessions. */
export class CreateConsoleOperators1764154400000 implements MigrationInterface {
  name = 'CreateConsoleOperators1764154400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'operators',
        columns: [
          c.id(),
          c.text('username', 64),
          c.text('password_hash', 200),
          c.flag('disabled'),
          c.createdAt(),
          c.updatedAt(),
        ],
        indices: [new TableIndex({ name: 'IDX_operators_username', columnNames: ['username'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'operator_sessions',
        columns: [
          // SHA-256 (hex) of the cookie's token: a copy of the table signs no one in.
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          c.text('operator_id', 40),
          c.text('csrf_token', 64),
          c.createdAt(),
          c.timestamp('last_seen_at'),
          c.timestamp('expires_at'),
        ],
        indices: [new TableIndex({ name: 'IDX_operator_sessions_operator', columnNames: ['operator_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('operator_sessions');
    await queryRunner.dropTable('operators');
  }
}
