import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource, Logger } from 'typeorm';
import { PAYMENTS_DATA_SOURCE } from '../../apps/payments/src/database/database.constants';

/** Statements that open, close or nest a transaction rather than do work in it. */
const TRANSACTION_CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/i;
const TRANSACTION_START = /^\s*(BEGIN|START TRANSACTION)\b/i;

/** What the service sent to its database while a recording ran. */
export interface RecordedStatements {
  /** Every statement, transaction control included, in order, as one line each. */
  all: string[];
  /** The statements that do work (not BEGIN, COMMIT, ROLLBACK or SAVEPOINT). */
  work: string[];
  transactions: number;
}

/**
 * Records the SQL the service sends on its 'payments' data source, by wrapping the data source's
 * TypeORM logger (every query runner reports each statement to it, whatever `logging` says).
 * Background jobs are stopped first, so that what is recorded is the requests' own work.
 */
export class StatementRecorder {
  private recording: string[] | undefined;

  private constructor(dataSource: DataSource) {
    const logger = dataSource.logger;
    const logQuery: Logger['logQuery'] = (query, parameters, runner) => {
      this.recording?.push(oneLine(query));
      return logger.logQuery(query, parameters, runner);
    };
    (dataSource as { logger: Logger }).logger = Object.assign(Object.create(logger) as Logger, { logQuery });
  }

  /** Stops the service's interval jobs (heartbeat, relay, janitor…) and starts listening to its data source. */
  static attach(app: INestApplication): StatementRecorder {
    const registry = app.get(SchedulerRegistry);
    for (const name of registry.getIntervals()) registry.deleteInterval(name);
    return new StatementRecorder(app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE)));
  }

  /** What `work` returns, and the statements sent while it ran. */
  async record<T>(work: () => Promise<T>): Promise<{ result: T; statements: RecordedStatements }> {
    const all: string[] = [];
    this.recording = all;
    let result: T;
    try {
      result = await work();
    } finally {
      this.recording = undefined;
    }
    const statements = {
      all,
      work: all.filter((sql) => !TRANSACTION_CONTROL.test(sql)),
      transactions: all.filter((sql) => TRANSACTION_START.test(sql)).length,
    };
    return { result, statements };
  }
}

/** One line, with the column lists of SELECT and INSERT elided: what a statement does, readable in a failure message. */
function oneLine(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^SELECT (?!1\b).*? FROM /, 'SELECT … FROM ')
    .replace(/^(INSERT INTO \S+) ?\(.*?\) VALUES \(.*?\)( RETURNING|$)/, '$1 (…) VALUES (…)$2')
    .replace(/ RETURNING (.{40}).+$/, ' RETURNING $1…');
}
