import type { Socket } from 'node:net';
import { Client, type ClientConfig } from 'pg';

/** The pool's client settings beyond node-postgres's own. */
export interface DeadlineClientConfig extends ClientConfig {
  /** How long a statement may go without any answer before its connection is closed; 0: no bound. */
  answerDeadlineMs?: number;
}

/**
 * The pool's client class (node-postgres `Pool({ Client })`): a statement the server has not
 * answered within `answerDeadlineMs` closes its connection, so that it fails as a lost connection
 * does (503 for its request, the connection out of the pool, the server rolling its transaction
 * back) instead of waiting on a server or a network gone silent, which TCP alone would wait on for
 * minutes, or for ever once the statement was acknowledged. The server's own `statement_timeout`,
 * shorter, ends a statement that is merely slow with an answer, on a connection that stays usable.
 */
export class DeadlineClient extends Client {
  private readonly configuredDeadlineMs: number;
  /** 0 while {@link unbounded} work runs. */
  private deadlineMs: number;
  /** When each statement not yet answered was sent, oldest first: pg answers a connection's statements in order. */
  private readonly unanswered: number[] = [];
  /** One timer a connection, armed while statements are unanswered, rather than one a statement. */
  private timer?: NodeJS.Timeout;

  constructor(config: DeadlineClientConfig = {}) {
    super(config);
    this.configuredDeadlineMs = config.answerDeadlineMs ?? 0;
    this.deadlineMs = this.configuredDeadlineMs;
  }

  // pg's own overloads, taken whole: only a promise (TypeORM's way of calling) is watched.
  override query(...args: unknown[]): never {
    const answer = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (this.deadlineMs > 0 && answer instanceof Promise) this.watch(answer);
    return answer as never;
  }

  /** Runs `work` on this connection with neither bound: migrations may take long by design. */
  async unbounded<T>(work: () => Promise<T>): Promise<T> {
    await this.query('SET statement_timeout = 0');
    this.deadlineMs = 0;
    try {
      return await work();
    } finally {
      this.deadlineMs = this.configuredDeadlineMs;
      // Back to the value the connection was opened with (DATABASE_STATEMENT_TIMEOUT_MS).
      await this.query('RESET statement_timeout');
    }
  }

  private watch(answer: Promise<unknown>): void {
    this.unanswered.push(performance.now());
    const answered = () => void this.unanswered.shift();
    answer.then(answered, answered);
    this.timer ??= setTimeout(() => this.check(), this.deadlineMs).unref();
  }

  /** Gives the connection up if its oldest statement is past the deadline; else looks again when it would be. */
  private check(): void {
    this.timer = undefined;
    const oldest = this.unanswered[0];
    // Nothing unanswered, or unbounded work began meanwhile (which arms a new timer once bounded again).
    if (oldest === undefined || this.deadlineMs === 0) return;
    const waitedMs = performance.now() - oldest;
    if (waitedMs >= this.deadlineMs) return this.giveUp(Math.round(waitedMs));
    this.timer = setTimeout(() => this.check(), this.deadlineMs - waitedMs).unref();
  }

  private giveUp(waitedMs: number): void {
    const error = Object.assign(
      new Error(`PostgreSQL gave no answer to a statement in ${waitedMs} ms: its connection is closed`),
      { code: 'ETIMEDOUT' },
    );
    // pg fails the statement (and any queued behind it) with this error and marks the client unusable.
    (this as unknown as { connection: { stream: Socket } }).connection.stream.destroy(error);
  }
}
