import { Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from './database.constants';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { GuardedWrites } from './guarded-writes';

/**
 * Runs a piece of work in one database transaction. Every write of the service goes through here.
 *
 * PostgreSQL runs transactions concurrently and relies on row locks and unique indexes.
 *
 * SQLite has one connection per process: two TypeORM transactions started concurrently would
 * interleave on it (and a rollback would undo the other's statements), so within a process they
 * queue behind a lock. Between processes sharing the file, each transaction starts with
 * `BEGIN IMMEDIATE`, taking the write lock at once (waiting up to the busy timeout) instead of
 * failing with SQLITE_BUSY when a read-then-write transaction has to upgrade its lock.
 */
@Injectable()
export class UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();
  /** What to do once each open transaction has committed, by its manager (see {@link afterCommit}). */
  private readonly commitHooks = new WeakMap<EntityManager, (() => void)[]>();
  readonly isPostgres: boolean;

  constructor(@InjectDataSource(PAYMENTS_DATA_SOURCE) readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const hooks: (() => void)[] = [];
    const hooked = async (manager: EntityManager) => {
      this.commitHooks.set(manager, hooks);
      try {
        return await work(manager);
      } finally {
        this.commitHooks.delete(manager);
      }
    };
    const result = await this.transaction(hooked);
    for (const hook of hooks) hook();
    return result;
  }

  /**
   * Runs one statement on its own, atomic as every single statement is: on PostgreSQL without the
   * BEGIN and COMMIT round trips (autocommit, on a pooled connection); on SQLite behind this
   * process's open transactions, whose one connection it shares. For a write that is one statement.
   */
  runStatement<T>(statement: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return statement(this.dataSource.manager);
    return this.queued(() => statement(this.dataSource.manager));
  }

  /**
   * Makes a change's guarded writes on their own: on PostgreSQL one autocommitted statement (no
   * BEGIN or COMMIT round trips), on SQLite a transaction. Then the hooks of the writes made.
   */
  async runWrites(writes: GuardedWrites): Promise<void> {
    const hooks = this.isPostgres
      ? await writes.writeWith(this.dataSource.manager)
      : await this.transaction((m) => writes.writeWith(m));
    for (const hook of hooks) hook();
  }

  /** Makes guarded writes in the transaction of `m` (run by {@link run}); their hooks run once it commits. */
  async writeIn(m: EntityManager, writes: GuardedWrites): Promise<void> {
    for (const hook of await writes.writeWith(m)) this.afterCommit(m, hook);
  }

  /**
   * Runs `hook` once the transaction of `manager` has committed, never if it rolls back: for
   * what must only be believed of a write once it is durable (e.g. that a key is claimed).
   */
  afterCommit(manager: EntityManager, hook: () => void): void {
    const hooks = this.commitHooks.get(manager);
    if (!hooks) throw new Error('afterCommit() needs the manager of a transaction run by UnitOfWork.run()');
    hooks.push(hook);
  }

  private transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return this.dataSource.transaction(work);
    return this.queued(() => this.runImmediate(work));
  }

  /** SQLite: runs `work` once everything queued before it in this process has ended, however it ended. */
  private queued<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Find options for a row lock held to the end of the transaction (`SELECT … FOR UPDATE`) where the
   * database has them (PostgreSQL); SQLite is already serialised. Spread into `findOne` options.
   */
  get lockMode(): { lock: { mode: 'pessimistic_write' } } | Record<string, never> {
    return this.isPostgres ? { lock: { mode: 'pessimistic_write' } } : {};
  }

  private async runImmediate<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    // TypeORM can only BEGIN DEFERRED; begin ourselves and tell it a transaction is open, so that
    // its own save() and remove() join this one instead of starting theirs.
    const state = runner as unknown as { isTransactionActive: boolean };
    await runner.query('BEGIN IMMEDIATE');
    state.isTransactionActive = true;
    try {
      const result = await work(runner.manager);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      state.isTransactionActive = false;
      await runner.release();
    }
  }
}
