import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a piece of work in one database transaction. Every write of the service goes through here.
 *
 * SQLite has one connection per process: two TypeORM transactions started concurrently would
 * interleave on it (and a rollback would undo the other's statements), so on SQLite transactions
 * queue behind an in-process lock. PostgreSQL runs them concurrently and relies on row locks and
 * unique indexes.
 */
@Injectable()
export class UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();
  readonly isPostgres: boolean;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return this.dataSource.transaction(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Row lock for the rest of the transaction where the database has them (PostgreSQL); SQLite is already serialised. */
  get lockMode(): { mode: 'pessimistic_write' } | Record<string, never> {
    return this.isPostgres ? { mode: 'pessimistic_write' } : {};
  }
}
