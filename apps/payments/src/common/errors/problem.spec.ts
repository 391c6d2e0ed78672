import { Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { CapturingLogger } from '../../../../../test/support/capturing-logger';
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
  beforeEach(() => logged.lines.splice(0));

  it('logs an error once, though the idempotency layer and the exception filter both map it', () => {
    const down = databaseDown();
    const unexpected = new TypeError('x is undefined');

    expect(toProblem(down, 'req-1')).toMatchObject({ status: 503, correlationId: 'req-1' });
    expect(toProblem(down, 'req-1')).toMatchObject({ status: 503, correlationId: 'req-1' });
    expect(toProblem(unexpected, 'req-2')).toMatchObject({ status: 500, correlationId: 'req-2' });
    expect(toProblem(unexpected, 'req-2')).toMatchObject({ status: 500, correlationId: 'req-2' });

    expect(logged.lines).toEqual([
      expect.stringContaining('Database unavailable (ECONNREFUSED)'),
      expect.stringContaining('Unexpected error req-2: TypeError: x is undefined'),
    ]);
  });

  it('logs each failure of its own, a second failure of the same request included', () => {
    toProblem(databaseDown(), 'req-3');
    toProblem(databaseDown(), 'req-3');

    expect(logged.lines.filter((line) => line.includes('Database unavailable'))).toHaveLength(2);
  });
});
