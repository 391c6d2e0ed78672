/** The few parts of better-sqlite3 the tests use to read (or lock) the service's SQLite file (the package ships no types). */
declare module 'better-sqlite3' {
  interface Statement {
    all(...params: unknown[]): unknown[];
  }
  interface SqliteDatabase {
    prepare(sql: string): Statement;
    exec(sql: string): SqliteDatabase;
    close(): void;
  }
  const Database: new (path: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => SqliteDatabase;
  export default Database;
}
