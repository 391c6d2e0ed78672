import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** The outbox relay's claim on an event it is delivering, so that instances share the work without delivering twice at once. */
export class AddOutboxRelayClaim1764115200000 implements MigrationInterface {
  name = 'AddOutboxRelayClaim1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('outbox_events', new TableColumn(c.timestamp('relay_claimed_until', true)));
    await queryRunner.createIndex(
      'outbox_events',
      new TableIndex({ name: 'IDX_outbox_unpublished', columnNames: ['published_at', 'seq'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox_events', 'IDX_outbox_unpublished');
    await queryRunner.dropColumn('outbox_events', 'relay_claimed_until');
  }
}
