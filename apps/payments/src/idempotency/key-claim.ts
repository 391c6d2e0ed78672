import type { GuardedWrites } from '../database/guarded-writes';
import type { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
import type { IdempotencyClaim } from './idempotency-claim';
import type { IdempotencyStore } from './idempotency.store';

/**
 * Where this request's key is written: `unwritten` (no record yet: the handler's first transaction
 * claims it, or the interceptor writes it with the request's outcome), `held` (its record, IN_FLIGHT,
 * is this request's), `answered` (its answer is written). A state moves only once the transaction
 * that wrote it has committed.
 */
type KeyState = 'unwritten' | 'held' | 'answered';

/**
 * One request's hold on its Idempotency-Key, shared by the interceptor (which ends the request with
 * {@link complete} or {@link release}) and the handler (through {@link IdempotencyClaim}). Each
 * writes what the other has not: the key's answer is written once, by whichever settles the request.
 */
export class KeyClaim implements IdempotencyClaim {
  constructor(
    private readonly record: IdempotencyRecordEntity,
    private state: KeyState,
    private readonly store: IdempotencyStore,
  ) {}

  get scope(): string {
    return this.record.scope;
  }

  get key(): string {
    return this.record.key;
  }

  claimIn(writes: GuardedWrites): void {
    if (this.state !== 'unwritten') return;
    this.store.claimIn(writes, this.record);
    writes.afterCommit(() => this.moveTo('held'));
  }

  answerIn(writes: GuardedWrites, status: number, body: unknown): void {
    if (this.state !== 'held') return;
    this.store.answerIn(writes, this.record, status, body);
    writes.afterCommit(() => this.moveTo('answered'));
  }

  /** The request's answer, unless its handler wrote it; an unwritten key is written with it (it may turn out taken). */
  async complete(status: number, body: unknown): Promise<void> {
    if (this.state === 'answered') return;
    if (this.state === 'held') await this.store.complete(this.record, status, body);
    else await this.store.completeUnclaimed(this.record, status, body);
    this.state = 'answered';
  }

  /** A 5xx or 429 is not the key's answer: a retry runs again (and finds what was committed through the key), and another body is still refused. */
  async release(): Promise<void> {
    if (this.state === 'answered') return;
    if (this.state === 'held') await this.store.release(this.record);
    else await this.store.releaseUnclaimed(this.record);
  }

  /** Forward only: an answer written is never taken back. */
  private moveTo(state: KeyState): void {
    if (state === 'answered' || this.state === 'unwritten') this.state = state;
  }
}
