import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AuthSessionEntity } from '../registration/entities/auth-session.entity';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { CancellationEntity } from '../payment/entities/cancellation.entity';
import { OutboxEventEntity } from '../events/entities/outbox-event.entity';
import { IdempotencyRecordEntity } from '../idempotency/entities/idempotency-record.entity';
import { GatewayNotificationEntity } from '../notification/entities/gateway-notification.entity';
import { PaymentEntity } from '../payment/entities/payment.entity';
import { SubscriptionChargeEntity } from '../subscription/entities/subscription-charge.entity';
import { SubscriptionEntity } from '../subscription/entities/subscription.entity';
import { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

export const ENTITIES = [BillingKeyEntity, PaymentEntity, CancellationEntity, IdempotencyRecordEntity, OutboxEventEntity, GatewayNotificationEntity, SubscriptionEntity, SubscriptionChargeEntity, AuthSessionEntity];

/** TypeORM options for either store. The schema only ever comes from the committed migrations (see run-migrations.ts). */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false } as const;
  if (db.type === 'postgres') {
    return { ...common, type: 'postgres', url: db.url, extra: { max: 20 } };
  }
  if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.path,
    // WAL lets readers in other processes (and a restarted instance) see committed work while one writes.
    prepareDatabase: (sqlite: { pragma(statement: string): unknown }) => {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('foreign_keys = ON');
    },
  };
}
