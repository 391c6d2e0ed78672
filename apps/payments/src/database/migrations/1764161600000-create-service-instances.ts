import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columnKit } from './column-types';

/**
 * Instance liveness (issue 17): each running instance's heartbeat row, and the instance that owns
 * each subscription charge claim, so that a dead instance's claims are taken over within seconds
 * instead of after the claim lease. Claims written before it have no owner: the lease alone frees them.
 */
export class CreateServiceInstances1764161600000 implements MigrationInterface {
  name = 'CreateServiceInstances1764161600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'service_instances',
        columns: [c.id(), c.timestamp('started_at'), c.timestamp('heartbeat_at')],
      }),
    );
    await queryRunner.addColumn('subscription_charges', new TableColumn(c.text('owner_instance_id', 40, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('subscription_charges', 'owner_instance_id');
    await queryRunner.dropTable('service_instances');
  }
}
