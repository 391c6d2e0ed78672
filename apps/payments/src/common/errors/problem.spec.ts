import { Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { CapturingLogger } from '../../../../../test/support/capturing-logger';
import { databaseOutage } from './database-outage';
import { toProblem } from './problem';

/** A driver error as TypeORM hands it on when PostgreSQL cannot be reached. */
function databaseDown(): QueryFailedError {
  return new QueryFailedError(
    'SELECT 1',
    [],
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  );
}

describe('toProblem', () => {
  const logged = new CapturingLogger();
  beforeAll(() => Logger.overrideLogger(logged));
  afterAll(() => Logger.overrideLogger(true));
  beforeEach(() => {
    // The outage log is the process's: each test starts with the database answering.
    databaseOutage.answered();
    logged.lines.splice(0);
  });

  it('logs an error once, though the idempotency layer and the exception filter both map it', () => {
    const down = databaseDown();
    const unexpected = new TypeError('x is undefined');

    expect(toProblem(down, 'req-1')).toMatchObject({ status: 503, correlationId: 'req-1' });
    expect(toProblem(down, 'req-1')).toMatchObject({ status: 503, correlationId: 'req-1' });
    expect(toProblem(unexpected, 'req-2')).toMatchObject({ status: 500, correlationId: 'req-2' });
    expect(toProblem(unexpected, 'req-2')).toMatchObject({ status: 500, correlationId: 'req-2' });

    expect(logged.lines).toEqual([
      expect.stringContaining('The database does not answer (ECONNREFUSED): requests are refused until it does'),
      expect.stringContaining('Unexpected error req-2: TypeError: x is undefined'),
    ]);
  });

  it('logs a database outage once, not once per refused request, and its end once the database answers again', () => {
    for (let i = 0; i < 50; i++) expect(toProblem(databaseDown(), `req-${i}`)).toMatchObject({ status: 503 });
    databaseOutage.answered();

    expect(logged.lines).toEqual([
      expect.stringContaining('The database does not answer (ECONNREFUSED)'),
      expect.stringMatching(/The database answers again: 50 requests refused in \d+ ms/),
    ]);
  });

  it('logs each unexpected failure of its own, a second failure of the same request included', () => {
    toProblem(new TypeError('x is undefined'), 'req-3');
    toProblem(new RangeError('y out of range'), 'req-3');

    expect(logged.lines.filter((line) => line.includes('Unexpected error req-3'))).toHaveLength(2);
  });
});
