import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnKit } from './column-types';

/**
 * The instance whose relay holds each claimed event, so that a dead instance's events are delivered
 * again within seconds (its heartbeat stops) instead of after EVENTS_RELAY_LEASE_MS. Claims written
 * before it have no owner: the lease alone frees them, as before.
 */
export class AddOutboxRelayOwner1764179600000 implements MigrationInterface {
  name = 'AddOutboxRelayOwner1764179600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('outbox_events', new TableColumn(c.text('relay_owner_instance_id', 40, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outbox_events', 'relay_owner_instance_id');
  }
}
