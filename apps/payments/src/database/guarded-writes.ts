import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { preparable } from './prepared-statements';
import { insertParts, insertRow, updateParts, updateRows, type RowWhere } from './row-statements';

/** Whether a guard matched its row, known once its writes have run. */
export interface Guard {
  readonly held: boolean;
}

/** A row changed on its version: every write moves the version and sets the update date. */
export interface VersionedRow extends ObjectLiteral {
  id: string;
  version: number;
  updatedAt: Date;
}

/** One write; a guard's carries whether it held. */
type Step = { guard?: { held: boolean } } & (
  | { kind: 'update'; target: EntityTarget<ObjectLiteral>; changes: ObjectLiteral; where: RowWhere<ObjectLiteral> }
  | { kind: 'insert'; target: EntityTarget<ObjectLiteral>; row: ObjectLiteral; ifTaken?: () => Error }
);

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
  private readonly hooks: { guardsBefore: number; hook: () => void }[] = [];

  /** A conditional UPDATE: what is added after it is written only if it matches a row. */
  guard<T extends ObjectLiteral>(target: EntityTarget<T>, changes: Partial<T>, where: RowWhere<T>): Guard {
    const guard = { held: false };
    this.steps.push({ kind: 'update', target, changes, where, guard } as Step);
    return guard;
  }

  /**
   * A guard on `current`'s version: `changes` written only if the row is still at that version, its
   * version moved and its update date set here. Also the row as the guard leaves it, known before it
   * is written, for the writes after it that describe it (an event, an answer).
   */
  guardVersion<T extends VersionedRow>(
    target: EntityTarget<T>,
    current: T,
    changes: Partial<T>,
  ): { guard: Guard; saved: T } {
    const moved = { ...changes, updatedAt: new Date() };
    const guard = this.guard(target, moved, { id: current.id, version: current.version } as RowWhere<T>);
    // A new instance of the entity's class, whose fields its constructor has already laid out: copying
    // forty columns into a bare Object.create() grew its shape property by property, 6 KB a change.
    const saved = Object.assign(new (current.constructor as new () => T)(), current, moved, {
      version: current.version + 1,
    });
    return { guard, saved };
  }

  /**
   * An INSERT that claims a unique key (e.g. an Idempotency-Key), the first of the writes: the others
   * are made only if it goes in; when the key is taken, nothing is written and `ifTaken()` is thrown.
   */
  claim<T extends ObjectLiteral>(target: EntityTarget<T>, row: T, ifTaken: () => Error): void {
    // First, so that "nothing is written" holds on PostgreSQL too, where the statement commits what came before it.
    if (this.steps.length > 0) throw new Error('A claim is the first of its writes');
    this.steps.push({ kind: 'insert', target, row, ifTaken, guard: { held: false } });
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
    this.hooks.push({ guardsBefore: this.guardSteps().length, hook });
  }

  /**
   * Makes the writes with `m`, inside its transaction or as one autocommitted statement
   * (PostgreSQL), and returns the hooks due once that commits.
   */
  async writeWith(m: EntityManager): Promise<(() => void)[]> {
    if (m.connection.driver.options.type === 'postgres') await this.asOneStatement(m);
    else await this.inOrder(m);
    const guards = this.guardSteps();
    // Guards hold in order: the first that did not stopped the rest, and a claim's is an error.
    const stopper = guards.find((step) => !step.guard.held);
    if (stopper?.kind === 'insert' && stopper.ifTaken) throw stopper.ifTaken();
    const held = stopper ? guards.indexOf(stopper) : guards.length;
    return this.hooks.filter((h) => h.guardsBefore <= held).map((h) => h.hook);
  }

  private guardSteps() {
    return this.steps.filter((step): step is Step & { guard: { held: boolean } } => !!step.guard);
  }

  private async inOrder(m: EntityManager): Promise<void> {
    for (const step of this.steps) {
      const wrote = await this.writeOne(m, step);
      if (!step.guard) continue;
      if (!wrote) return;
      step.guard.held = true;
    }
  }

  /** One step on SQLite: whether it wrote a row. */
  private async writeOne(m: EntityManager, step: Step): Promise<boolean> {
    if (step.kind === 'update') return (await updateRows(m, step.target, step.changes, step.where, false)).affected > 0;
    return insertRow(m, step.target, step.row, step.ifTaken ? { unlessExists: 'any-unique-key' } : {});
  }

  private async asOneStatement(m: EntityManager): Promise<void> {
    const params: unknown[] = [];
    const guardNames: string[] = [];
    const parts = this.steps.map((step, index) => {
      const name = `w${index}`;
      const onlyIf = guardNames.map((g) => `EXISTS (SELECT 1 FROM ${g})`);
      if (step.guard) guardNames.push(name);
      if (step.kind === 'insert') {
        const { table, columns, values } = insertParts(m, step.target, step.row, params);
        const where = onlyIf.length > 0 ? ` WHERE ${onlyIf.join(' AND ')}` : '';
        const claim = step.ifTaken ? ' ON CONFLICT DO NOTHING RETURNING 1' : '';
        return `${name} AS (INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')}${where}${claim})`;
      }
      const { table, sets, condition } = updateParts(m, step.target, step.changes, step.where, params);
      const where = [condition, ...onlyIf].join(' AND ');
      return `${name} AS (UPDATE ${table} SET ${sets.join(', ')} WHERE ${where}${step.guard ? ' RETURNING 1' : ''})`;
    });
    const counts = guardNames.map((g) => `(SELECT count(*) FROM ${g})::int AS ${g}`).join(', ');
    // A change's shape is written by code, so its text recurs: a named statement, parsed once per connection.
    const sql = preparable(`WITH ${parts.join(', ')} SELECT ${counts || '1'}`);
    const [row] = (await m.query(sql, params)) as Record<string, number>[];
    for (const [index, step] of this.guardSteps().entries()) step.guard.held = row[guardNames[index]] > 0;
  }
}
