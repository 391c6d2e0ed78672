import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Every table whose rows belong to a tenant (docs/tenants.md). */
const TENANT_TABLES = [
  'billing_keys',
  'auth_sessions',
  'payments',
  'cancellations',
  'subscriptions',
  'subscription_charges',
  'gateway_notifications',
  'outbox_events',
  'reconciliation_mismatches',
];

/** The lists a tenant reads, each filtered by its tenant first. */
const TENANT_INDEXES: { table: string; index: TableIndex }[] = [
  {
    table: 'billing_keys',
    index: new TableIndex({ name: 'IDX_billing_keys_tenant_customer', columnNames: ['tenant_id', 'customer_id'] }),
  },
  {
    table: 'payments',
    index: new TableIndex({ name: 'IDX_payments_tenant_created', columnNames: ['tenant_id', 'created_at', 'id'] }),
  },
  {
    table: 'payments',
    index: new TableIndex({ name: 'IDX_payments_tenant_customer', columnNames: ['tenant_id', 'customer_id'] }),
  },
  {
    table: 'subscriptions',
    index: new TableIndex({ name: 'IDX_subscriptions_tenant_customer', columnNames: ['tenant_id', 'customer_id'] }),
  },
  {
    table: 'outbox_events',
    index: new TableIndex({ name: 'IDX_outbox_tenant_seq', columnNames: ['tenant_id', 'seq'] }),
  },
  {
    table: 'reconciliation_mismatches',
    index: new TableIndex({ name: 'IDX_reconciliation_mismatches_tenant_run', columnNames: ['tenant_id', 'run_id'] }),
  },
];

/**
 * The tenant each row belongs to. Rows written before tenants existed belong to `default`, the
 * tenant of the keys in API_KEYS, so existing clients keep seeing all of them.
 */
export class AddTenantIds1764172400000 implements MigrationInterface {
  name = 'AddTenantIds1764172400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const tenantId = { ...columnKit(queryRunner).text('tenant_id', 64), default: "'default'" };
    for (const table of TENANT_TABLES) await queryRunner.addColumn(table, new TableColumn(tenantId));
    for (const { table, index } of TENANT_INDEXES) await queryRunner.createIndex(table, index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, index } of [...TENANT_INDEXES].reverse()) await queryRunner.dropIndex(table, index);
    for (const table of [...TENANT_TABLES].reverse()) await queryRunner.dropColumn(table, 'tenant_id');
  }
}
