import { Inject, Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, LessThan, Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { newId } from '../database/ids';
import { UnitOfWork } from '../database/unit-of-work';
import { GuardedWrites } from '../database/guarded-writes';
import { findRow, insertRow } from '../database/row-statements';
import { isUniqueViolation } from '../database/unique-violation';
import { InstanceLiveness } from '../instances/instance-liveness';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
import { IdempotencyKeyTaken } from './idempotency-claim';
import { KeyClaim } from './key-claim';

/** Where a request stands with its key: `claimed` (its record, IN_FLIGHT, is this request's) or `replay` (the key's answer). */
export type Claim =
  { kind: 'claimed'; record: IdempotencyRecordEntity } | { kind: 'replay'; status: number; body: unknown };

const POLL_MS = 50;
const STUCK_AFTER_LEASES = 10;
const STUCK_AFTER_AT_LEAST_MS = 60_000;

/**
 * Claims an Idempotency-Key in the database before the work runs. The unique (scope, key) index
 * decides races between requests and between instances; a request that finds the key in flight
 * waits a bounded time for the first to finish and replays its answer, else it is a 409. A key in
 * flight belongs to the instance running its first request, and is taken over only once that
 * instance is gone (see {@link takeOverIfAbandoned}).
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    @InjectRepository(IdempotencyRecordEntity, PAYMENTS_DATA_SOURCE)
    private readonly records: Repository<IdempotencyRecordEntity>,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly liveness: InstanceLiveness,
  ) {}

  /**
   * A hold on a key taken to be new, unread: the handler claims it among its first writes (through
   * {@link KeyClaim.claimIn}). Only when that claim finds it taken is the key read, by {@link claim}
   * (replay, 409, wait, take over). A first request makes no round trip for its key; a retry runs
   * its handler up to the claim first, which writes nothing and sends nothing.
   */
  unclaimedHold(scope: string, key: string, fingerprint: string): KeyClaim {
    return new KeyClaim(this.newRecord(scope, key, fingerprint), 'unwritten', this);
  }

  /** The request's hold on the key it claimed, as the interceptor hands it to the handler. */
  holdOf(claim: Extract<Claim, { kind: 'claimed' }>): KeyClaim {
    return new KeyClaim(claim.record, 'held', this);
  }

  /** Claims the key before the request's work runs: a new record, or the key as it stands (replay, 409, wait, take over). */
  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    const deadline = Date.now() + this.config.idempotency.waitMs;
    for (;;) {
      const inserted = await this.tryInsert(this.newRecord(scope, key, fingerprint));
      if (inserted) return { kind: 'claimed', record: inserted };
      const existing = await findRow(this.records.manager, IdempotencyRecordEntity, { scope, key });
      if (!existing) continue; // expired and removed between our insert and read: try again
      if (existing.expiresAt.getTime() < Date.now()) {
        await this.uow.run((m) =>
          m.delete(IdempotencyRecordEntity, { id: existing.id, expiresAt: LessThan(new Date()) }),
        );
        continue;
      }
      if (existing.fingerprint !== fingerprint) {
        throw new AppError(
          ErrorCode.IdempotencyKeyReused,
          'This Idempotency-Key was first used with another request body or path',
        );
      }
      if (existing.state === 'COMPLETED')
        return {
          kind: 'replay',
          status: existing.responseStatus ?? 200,
          body: JSON.parse(existing.responseBody ?? 'null'),
        };
      const taken = await this.takeOverIfAbandoned(existing);
      if (taken) return { kind: 'claimed', record: taken };
      if (Date.now() >= deadline)
        throw new AppError(
          ErrorCode.IdempotencyKeyInFlight,
          'The first request with this Idempotency-Key has not finished yet; retry later',
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * Claims an unclaimed key among the caller's writes: its record IN_FLIGHT for this instance, the
   * lease counted from now; {@link IdempotencyKeyTaken} when another request wrote it first.
   */
  claimIn(writes: GuardedWrites, record: IdempotencyRecordEntity): void {
    writes.claim(IdempotencyRecordEntity, this.restartLease(record), () => new IdempotencyKeyTaken());
  }

  /** The key's answer, among the caller's writes. */
  answerIn(writes: GuardedWrites, record: IdempotencyRecordEntity, status: number, body: unknown): void {
    writes.update(
      IdempotencyRecordEntity,
      { state: 'COMPLETED', responseStatus: status, responseBody: JSON.stringify(body ?? null) },
      { id: record.id },
    );
  }

  async complete(record: IdempotencyRecordEntity, status: number, body: unknown): Promise<void> {
    const writes = new GuardedWrites();
    this.answerIn(writes, record, status, body);
    await this.uow.runWrites(writes);
  }

  /** Writes an unclaimed key's record with its answer; {@link IdempotencyKeyTaken} when another request wrote it first. */
  async completeUnclaimed(record: IdempotencyRecordEntity, status: number, body: unknown): Promise<void> {
    const answered = {
      ...record,
      state: 'COMPLETED' as const,
      responseStatus: status,
      responseBody: JSON.stringify(body ?? null),
    };
    await this.uow.run((m) => this.insertIn(m, answered));
  }

  /**
   * Writes an unclaimed key's record released (see {@link release}): nothing happened under the key,
   * and it keeps its fingerprint; {@link IdempotencyKeyTaken} when another request wrote it first.
   */
  async releaseUnclaimed(record: IdempotencyRecordEntity): Promise<void> {
    await this.uow.run((m) => this.insertIn(m, { ...record, lockedUntil: new Date(), ownerInstanceId: null }));
  }

  /**
   * Lets a retry of a request that failed with a server error run (its lease ends now, its owner
   * lets go: nothing happened under the key that a retry could repeat). The record
   * and its fingerprint stay, so the key still refuses another body; what the first run committed
   * is found again by the retry through the resource bound to the key (a charge's order id, a
   * cancel's or a subscription's key reference), never made twice.
   */
  async release(record: IdempotencyRecordEntity): Promise<void> {
    await this.uow.run((m) =>
      m.update(
        IdempotencyRecordEntity,
        { id: record.id, state: 'IN_FLIGHT' },
        { lockedUntil: new Date(), ownerInstanceId: null },
      ),
    );
  }

  /** Deletes records older than their retention (at least 24 hours, CONTRACT.md). */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.uow.run((m) => m.delete(IdempotencyRecordEntity, { expiresAt: LessThan(now) }));
    return result.affected ?? 0;
  }

  private newRecord(scope: string, key: string, fingerprint: string): IdempotencyRecordEntity {
    return this.restartLease(
      this.records.create({
        id: newId('idem'),
        scope,
        key,
        fingerprint,
        state: 'IN_FLIGHT',
        responseStatus: null,
        responseBody: null,
        ownerInstanceId: this.liveness.id,
      }),
    );
  }

  /** Its lease and retention counted from now, when it is written. */
  private restartLease(record: IdempotencyRecordEntity): IdempotencyRecordEntity {
    const now = Date.now();
    record.lockedUntil = new Date(now + this.config.idempotency.leaseMs);
    record.expiresAt = new Date(now + this.config.idempotency.ttlHours * 3_600_000);
    return record;
  }

  /** The record, written without reading it back; {@link IdempotencyKeyTaken} when the key has one. */
  private async insertIn(m: EntityManager, record: IdempotencyRecordEntity): Promise<void> {
    try {
      await insertRow(m, IdempotencyRecordEntity, record);
    } catch (error) {
      if (isUniqueViolation(error)) throw new IdempotencyKeyTaken();
      throw error;
    }
  }

  /** The record, written in a transaction of its own; undefined when the key has one already (an expired one is removed by `settle`). */
  private async tryInsert(record: IdempotencyRecordEntity): Promise<IdempotencyRecordEntity | undefined> {
    try {
      await this.uow.run((m) => this.insertIn(m, record));
      return record;
    } catch (error) {
      if (error instanceof IdempotencyKeyTaken) return undefined;
      throw error;
    }
  }

  /**
   * Takes over a record still IN_FLIGHT whose first request is provably over: its lease has passed
   * and its owner is gone (no heartbeat younger than INSTANCE_DEAD_AFTER_MS on the database's clock,
   * or released, or a record from before keys had owners). A live owner's request is still running,
   * however slow, and always ends by completing or releasing the key: until then a retry waits, then
   * is 409 (unless ten leases, and at least a minute, have passed: then its complete or release
   * must have failed). One conditional UPDATE: of two retries taking over the same read, one wins. Safe for
   * money: a retried charge derives the same orderId from the key, so it finds the first attempt's
   * payment instead of charging again.
   */
  private async takeOverIfAbandoned(existing: IdempotencyRecordEntity): Promise<IdempotencyRecordEntity | undefined> {
    const now = new Date();
    if (existing.lockedUntil.getTime() > now.getTime()) return undefined;
    const lockedUntil = new Date(now.getTime() + this.config.idempotency.leaseMs);
    // A live owner whose complete() or release() failed (the database was down) would hold the key
    // until its TTL: past this many leases no request of a live instance can still be running.
    const stuckBefore = new Date(
      now.getTime() - Math.max(STUCK_AFTER_LEASES * this.config.idempotency.leaseMs, STUCK_AFTER_AT_LEAST_MS),
    );
    const owner = this.liveness.id;
    const ownerAlive = this.liveness.aliveSql('idempotency_records.owner_instance_id');
    const result = await this.uow.run((m) =>
      m
        .createQueryBuilder()
        .update(IdempotencyRecordEntity)
        .set({ lockedUntil, ownerInstanceId: owner })
        .where('id = :id AND state = :inFlight', { id: existing.id, inFlight: 'IN_FLIGHT' })
        .andWhere('locked_until = :seenUntil AND locked_until <= :now', { seenUntil: existing.lockedUntil, now })
        .andWhere(existing.ownerInstanceId === null ? 'owner_instance_id IS NULL' : 'owner_instance_id = :seenOwner', {
          seenOwner: existing.ownerInstanceId,
        })
        .andWhere(
          new Brackets((gone) =>
            gone
              .where('owner_instance_id IS NULL')
              .orWhere(`NOT ${ownerAlive}`)
              .orWhere('locked_until <= :stuckBefore', { stuckBefore }),
          ),
        )
        .execute(),
    );
    return result.affected === 1 ? { ...existing, lockedUntil, ownerInstanceId: owner } : undefined;
  }
}
