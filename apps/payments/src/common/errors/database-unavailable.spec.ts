import { QueryFailedError } from 'typeorm';
import { databaseUnavailableReason } from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe(databaseUnavailableReason.name, () => {
  it.each([
    ['a refused connection (pg pool)', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'ECONNREFUSED'],
    ['both address families refused', new AggregateError([withCode('refused', 'ECONNREFUSED')]), 'ECONNREFUSED'],
    ['an administrator shutdown', new QueryFailedError('SELECT 1', [], withCode('terminating', '57P01')), '57P01'],
    ['a server starting up', withCode('the database system is starting up', '57P03'), '57P03'],
    ['too many connections', withCode('sorry, too many clients already', '53300'), '53300'],
    [
      'a lost connection',
      new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
      'connection lost',
    ],
    ['a pool timeout', new Error('timeout exceeded when trying to connect'), 'connection lost'],
    [
      'SQLite busy past its timeout',
      new QueryFailedError('BEGIN IMMEDIATE', [], withCode('database is locked', 'SQLITE_BUSY')),
      'SQLITE_BUSY',
    ],
    ['an SQLite write error', withCode('disk I/O error', 'SQLITE_IOERR_WRITE'), 'SQLITE_IOERR_WRITE'],
    [
      'an SQLite file that cannot be opened',
      withCode('unable to open database file', 'SQLITE_CANTOPEN'),
      'SQLITE_CANTOPEN',
    ],
  ])('names %s', (_what, error, reason) => {
    expect(databaseUnavailableReason(error)).toBe(reason);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    [
      'an SQLite constraint',
      new QueryFailedError('INSERT', [], withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE')),
    ],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a non-error', 'oops'],
  ])('leaves %s to the 500 path', (_what, error) => {
    expect(databaseUnavailableReason(error)).toBeUndefined();
  });
});
