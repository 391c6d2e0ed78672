import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';
import { PreparingClient } from './prepared-statements';
import { DeadlineClient, type DeadlineClientConfig } from './statement-deadline';

/** How much longer than `statement_timeout` a statement may go wholly unanswered: the server's cancellation is an answer. */
const ANSWER_GRACE_MAX_MS = 5_000;

/**
 * TypeORM options for either store. The schema only ever comes from the committed migrations (see
 * run-migrations.ts). Entities are not listed here: each module registers its own with
 * `TypeOrmModule.forFeature` and the database module loads them (`autoLoadEntities`), so this
 * folder depends on no domain module.
 */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = { migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false } as const;
  if (db.type === 'postgres') {
    const timeout = db.statementTimeoutMs;
    const statements: DeadlineClientConfig = {
      statement_timeout: timeout,
      answerDeadlineMs: timeout === 0 ? 0 : timeout + Math.min(timeout, ANSWER_GRACE_MAX_MS),
    };
    return {
      ...common,
      type: 'postgres',
      url: db.url,
      extra: {
        max: db.poolSize,
        // pg-pool's timeout bounds both a new connection's opening and the wait for a pooled one.
        connectionTimeoutMillis: db.connectTimeoutMs,
        // The hot path's statements go by name (prepared-statements.ts) unless turned off; every statement is bounded.
        Client: db.preparedStatements ? PreparingClient : DeadlineClient,
        ...statements,
      },
    };
  }
  if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.path,
    // WAL lets readers in other processes (and a restarted instance) see committed work while one writes.
    prepareDatabase: (sqlite: { pragma(statement: string): unknown }) => {
      sqlite.pragma('journal_mode = WAL');
      // better-sqlite3 builds SQLite with WAL's default at NORMAL, where a power loss can take back the
      // last commits: a PENDING payment among them would be money the gateway took with no record here.
      sqlite.pragma(`synchronous = ${db.synchronous}`);
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('foreign_keys = ON');
    },
  };
}
