import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { insertParts, insertRow, updateParts, updateRows, type RowWhere } from './row-statements';

type Step =
  | { kind: 'update'; target: EntityTarget<ObjectLiteral>; changes: ObjectLiteral; where: RowWhere<ObjectLiteral> }
  | { kind: 'insert'; target: EntityTarget<ObjectLiteral>; row: ObjectLiteral; ifTaken?: () => Error };

/** Whether a guard matched its row, known once its writes have run. */
export interface Guard {
  readonly held: boolean;
}

/**
 * The writes of one change, each made only if every guard before it matched: a guard is a
 * conditional UPDATE (e.g. on the row's version), and a guard that matches nothing leaves every
 * write after it unmade, later guards included. On PostgreSQL they are one statement (data-modifying
 * `WITH`s, each later one conditional on the guards' `RETURNING`): one round trip where a
 * transaction would take BEGIN, one per write, and COMMIT. On SQLite they are the transaction's
 * statements in order, stopped at the first guard that matches nothing. A claim is a guard that
 * inserts: taken (a unique key already written), nothing is written and its error is thrown.
 *
 * One statement sees one snapshot: no two writes here may touch the same row.
 */
export class GuardedWrites {
  private readonly steps: Step[] = [];
  private readonly guards: { step: number; held: boolean }[] = [];
  private readonly hooks: { guardsBefore: number; hook: () => void }[] = [];

  /** A conditional UPDATE: what is added after it is written only if it matches a row. */
  guard<T extends ObjectLiteral>(target: EntityTarget<T>, changes: Partial<T>, where: RowWhere<T>): Guard {
    const guard = { step: this.steps.length, held: false };
    this.steps.push({ kind: 'update', target, changes, where } as Step);
    this.guards.push(guard);
    return guard;
  }

  /**
   * An INSERT that claims a unique key (e.g. an Idempotency-Key), the first of the writes: the others
   * are made only if it goes in; when the key is taken, nothing is written and `ifTaken()` is thrown.
   */
  claim<T extends ObjectLiteral>(target: EntityTarget<T>, row: T, ifTaken: () => Error): void {
    // First, so that "nothing is written" holds on PostgreSQL too, where the statement commits what came before it.
    if (this.steps.length > 0) throw new Error('A claim is the first of its writes');
    this.guards.push({ step: this.steps.length, held: false });
    this.steps.push({ kind: 'insert', target, row, ifTaken });
  }

  /** An UPDATE whose match is no condition of the rest (the version and update date move as in `updateRows`). */
  update<T extends ObjectLiteral>(target: EntityTarget<T>, changes: Partial<T>, where: RowWhere<T>): void {
    this.steps.push({ kind: 'update', target, changes, where } as Step);
  }

  /** An INSERT of every column set (an unset one takes its default), not read back. */
  insert<T extends ObjectLiteral>(target: EntityTarget<T>, row: T): void {
    this.steps.push({ kind: 'insert', target, row });
  }

  /** What to do once these writes have committed, if every guard added before now held. */
  afterCommit(hook: () => void): void {
    this.hooks.push({ guardsBefore: this.guards.length, hook });
  }

  /**
   * Makes the writes with `m`, inside its transaction or as one autocommitted statement
   * (PostgreSQL), and returns the hooks due once that commits.
   */
  async writeWith(m: EntityManager): Promise<(() => void)[]> {
    if (m.connection.driver.options.type === 'postgres') await this.asOneStatement(m);
    else await this.inOrder(m);
    const held = this.guards.filter((g) => g.held).length;
    // The first guard that did not hold stopped the rest: a claim's is an error.
    const stoppedAt = this.guards.find((g) => !g.held);
    const stopper = stoppedAt && this.steps[stoppedAt.step];
    if (stopper?.kind === 'insert' && stopper.ifTaken) throw stopper.ifTaken();
    return this.hooks.filter((h) => h.guardsBefore <= held).map((h) => h.hook);
  }

  private async inOrder(m: EntityManager): Promise<void> {
    let nextGuard = 0;
    for (const [index, step] of this.steps.entries()) {
      const affected = await this.writeOne(m, step);
      const guard = this.guards[nextGuard];
      if (guard?.step !== index) continue;
      nextGuard++;
      if (affected === 0) return;
      guard.held = true;
    }
  }

  /** One step on SQLite: the rows it wrote. */
  private async writeOne(m: EntityManager, step: Step): Promise<number> {
    if (step.kind === 'update') return (await updateRows(m, step.target, step.changes, step.where, false)).affected;
    if (!step.ifTaken) {
      await insertRow(m, step.target, step.row);
      return 1;
    }
    const params: unknown[] = [];
    const { table, columns, values } = insertParts(m, step.target, step.row, params);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')}) ON CONFLICT DO NOTHING RETURNING 1`;
    return ((await m.query(sql, params)) as unknown[]).length;
  }

  private async asOneStatement(m: EntityManager): Promise<void> {
    const params: unknown[] = [];
    const guardNames: string[] = [];
    const parts = this.steps.map((step, index) => {
      const name = `w${index}`;
      const onlyIf = guardNames.map((g) => `EXISTS (SELECT 1 FROM ${g})`);
      const isGuard = this.guards.some((g) => g.step === index);
      if (isGuard) guardNames.push(name);
      if (step.kind === 'insert') {
        const { table, columns, values } = insertParts(m, step.target, step.row, params);
        const where = onlyIf.length > 0 ? ` WHERE ${onlyIf.join(' AND ')}` : '';
        const claim = step.ifTaken ? ' ON CONFLICT DO NOTHING RETURNING 1' : '';
        return `${name} AS (INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')}${where}${claim})`;
      }
      const { table, sets, condition } = updateParts(m, step.target, step.changes, step.where, params);
      const where = [condition, ...onlyIf].join(' AND ');
      return `${name} AS (UPDATE ${table} SET ${sets.join(', ')} WHERE ${where}${isGuard ? ' RETURNING 1' : ''})`;
    });
    const counts = guardNames.map((g) => `(SELECT count(*) FROM ${g})::int AS ${g}`).join(', ');
    const [row] = (await m.query(`WITH ${parts.join(', ')} SELECT ${counts || '1'}`, params)) as Record<
      string,
      number
    >[];
    for (const [index, guard] of this.guards.entries()) guard.held = row[guardNames[index]] > 0;
  }
}
