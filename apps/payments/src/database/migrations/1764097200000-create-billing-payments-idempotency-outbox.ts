import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Billing keys, payments, idempotency records and the event outbox (issue: billing keys and charges). */
export class CreateBillingPaymentsIdempotencyOutbox1764097200000 implements MigrationInterface {
  name = 'CreateBillingPaymentsIdempotencyOutbox1764097200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'billing_keys',
        columns: [
          c.id(),
          c.text('customer_id', 100),
          c.text('merchant', 50),
          c.text('mid', 20),
          c.text('bid', 64),
          c.text('pay_method', 10),
          c.text('status', 16),
          c.text('card_no_masked', 32, true),
          c.text('card_company_code', 4, true),
          c.text('card_company_name', 40, true),
          c.text('buyer_name', 100),
          c.text('buyer_tel', 40),
          c.text('buyer_email', 120, true),
          c.text('order_no', 40, true),
          c.timestamp('issued_at'),
          c.timestamp('deleted_at', true),
          c.createdAt(),
          c.updatedAt(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_billing_keys_bid', columnNames: ['bid'], isUnique: true }),
          new TableIndex({ name: 'IDX_billing_keys_customer', columnNames: ['customer_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'payments',
        columns: [
          c.id(),
          c.text('order_id', 40),
          c.text('billing_key_id', 40, true),
          c.text('customer_id', 100),
          c.text('customer_ref', 100, true),
          c.text('merchant', 50),
          c.text('mid', 20),
          c.text('pay_method', 10),
          c.text('status', 24),
          c.money('amount'),
          c.money('cancelled_amount', 0),
          c.integer('installment_months', 0),
          c.text('goods_name', 200),
          c.text('buyer_name', 100),
          c.text('buyer_tel', 40),
          c.text('buyer_email', 120, true),
          c.longText('metadata', true),
          c.text('tid', 30, true),
          c.text('approval_no', 30, true),
          c.timestamp('approved_at', true),
          c.text('card_masked', 32, true),
          c.text('card_issuer_code', 4, true),
          c.text('card_issuer_name', 40, true),
          c.text('card_acquirer_code', 4, true),
          c.text('card_type', 10, true),
          c.text('failure_code', 40, true),
          c.text('failure_message', 300, true),
          c.text('failure_category', 30, true),
          c.text('idempotency_ref', 64, true),
          c.timestamp('sent_at', true),
          c.integer('resolve_attempts', 0),
          c.timestamp('next_resolve_at', true),
          c.flag('needs_attention'),
          c.text('attention_reason', 300, true),
          c.createdAt(),
          c.updatedAt(),
          c.integer('version', 1),
        ],
        indices: [
          new TableIndex({ name: 'IDX_payments_order_id', columnNames: ['order_id'], isUnique: true }),
          new TableIndex({ name: 'IDX_payments_tid', columnNames: ['tid'], isUnique: true }),
          new TableIndex({ name: 'IDX_payments_customer', columnNames: ['customer_id'] }),
          new TableIndex({ name: 'IDX_payments_billing_key', columnNames: ['billing_key_id'] }),
          new TableIndex({ name: 'IDX_payments_status', columnNames: ['status'] }),
          new TableIndex({ name: 'IDX_payments_next_resolve', columnNames: ['next_resolve_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_records',
        columns: [
          c.id(),
          c.text('scope', 64),
          c.text('key', 255),
          c.text('fingerprint', 64),
          c.text('state', 16),
          c.integer('response_status'),
          c.longText('response_body', true),
          c.timestamp('locked_until'),
          c.timestamp('expires_at'),
          c.createdAt(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_idempotency_scope_key', columnNames: ['scope', 'key'], isUnique: true }),
          new TableIndex({ name: 'IDX_idempotency_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          c.text('id', 40),
          c.text('type', 60),
          c.timestamp('occurred_at'),
          c.longText('data'),
          c.timestamp('published_at', true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_outbox_id', columnNames: ['id'], isUnique: true }),
          new TableIndex({ name: 'IDX_outbox_type', columnNames: ['type'] }),
          new TableIndex({ name: 'IDX_outbox_published', columnNames: ['published_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox_events', 'idempotency_records', 'payments', 'billing_keys'])
      await queryRunner.dropTable(table);
  }
}
