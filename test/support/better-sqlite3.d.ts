/**
 * The few parts of better-sqlite3 used outside TypeORM (the package ships no types): the tests read
 * (or lock) the service's SQLite file with it, and the cpu benchmark's minimal app writes with it.
 */
declare module 'better-sqlite3' {
  export interface Statement {
    all(...params: unknown[]): unknown[];
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): { changes: number };
  }
  interface SqliteDatabase {
    prepare(sql: string): Statement;
    exec(sql: string): SqliteDatabase;
    pragma(statement: string): unknown;
    /** A function that runs `work` inside BEGIN … COMMIT (ROLLBACK if it throws). */
    transaction<A extends unknown[]>(work: (...args: A) => void): (...args: A) => void;
    close(): void;
  }
  const Database: new (path: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => SqliteDatabase;
  export default Database;
}
