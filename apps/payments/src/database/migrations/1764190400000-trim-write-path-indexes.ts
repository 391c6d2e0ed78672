import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const PAYMENTS_STATUS = new TableIndex({ name: 'IDX_payments_status', columnNames: ['status'] });
const OUTBOX_PUBLISHED = new TableIndex({ name: 'IDX_outbox_published', columnNames: ['published_at'] });
const OUTBOX_TYPE = new TableIndex({ name: 'IDX_outbox_type', columnNames: ['type'] });
const OUTBOX_UNPUBLISHED = new TableIndex({ name: 'IDX_outbox_unpublished', columnNames: ['published_at', 'seq'] });

/**
 * Fewer indexes for every charge to write (docs/benchmarks.md, ninth round). Each index is written
 * by a charge's insert and again by its approval; these served no query of their own:
 * - `IDX_payments_status`: every lookup by status is also one by the prefix of
 *   `IDX_payments_status_created (status, created_at)`;
 * - `IDX_outbox_published`, `IDX_outbox_type` and `IDX_outbox_unpublished (published_at, seq)`:
 *   the relay, the gauges and the console only ever look for events not yet published, oldest first.
 *   They are served by one partial index of those events alone, which an event leaves once published
 *   (`published_at IS NULL` literal in the index and in each query, so both databases can use it).
 */
export class TrimWritePathIndexes1764190400000 implements MigrationInterface {
  name = 'TrimWritePathIndexes1764190400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'outbox_events',
      new TableIndex({ name: 'IDX_outbox_unpublished_seq', columnNames: ['seq'], where: 'published_at IS NULL' }),
    );
    for (const index of [OUTBOX_UNPUBLISHED, OUTBOX_PUBLISHED, OUTBOX_TYPE])
      await queryRunner.dropIndex('outbox_events', index.name!);
    await queryRunner.dropIndex('payments', PAYMENTS_STATUS.name!);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('payments', PAYMENTS_STATUS);
    for (const index of [OUTBOX_UNPUBLISHED, OUTBOX_PUBLISHED, OUTBOX_TYPE])
      await queryRunner.createIndex('outbox_events', index);
    await queryRunner.dropIndex('outbox_events', 'IDX_outbox_unpublished_seq');
  }
}
