import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { newId } from '../database/ids';
import { UnitOfWork } from '../database/unit-of-work';
import { isUniqueViolation } from '../database/unique-violation';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';

export type Claim =
  { kind: 'claimed'; record: IdempotencyRecordEntity } | { kind: 'replay'; status: number; body: unknown };

const POLL_MS = 50;

/**
 * Claims an Idempotency-Key in the database before the work runs. The unique (scope, key) index
 * decides races between requests and between instances; a request that finds the key in flight
 * waits a bounded time for the first to finish and replays its answer, else it is a 409.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    @InjectRepository(IdempotencyRecordEntity) private readonly records: Repository<IdempotencyRecordEntity>,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    const deadline = Date.now() + this.config.idempotency.waitMs;
    for (;;) {
      const inserted = await this.tryInsert(scope, key, fingerprint);
      if (inserted) return { kind: 'claimed', record: inserted };
      const existing = await this.records.findOneBy({ scope, key });
      if (!existing) continue; // expired and removed between our insert and read: try again
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

  async complete(record: IdempotencyRecordEntity, status: number, body: unknown): Promise<void> {
    await this.uow.run((m) =>
      m.update(
        IdempotencyRecordEntity,
        { id: record.id },
        { state: 'COMPLETED', responseStatus: status, responseBody: JSON.stringify(body ?? null) },
      ),
    );
  }

  /**
   * Lets a retry of a request that failed with a server error run (its lease ends now). The record
   * and its fingerprint stay, so the key still refuses another body; what the first run committed
   * is found again by the retry through the resource bound to the key (a charge's order id, a
   * cancel's or a subscription's key reference), never made twice.
   */
  async release(record: IdempotencyRecordEntity): Promise<void> {
    await this.uow.run((m) =>
      m.update(IdempotencyRecordEntity, { id: record.id, state: 'IN_FLIGHT' }, { lockedUntil: new Date() }),
    );
  }

  /** Deletes records older than their retention (at least 24 hours, CONTRACT.md). */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.uow.run((m) => m.delete(IdempotencyRecordEntity, { expiresAt: LessThan(now) }));
    return result.affected ?? 0;
  }

  private async tryInsert(
    scope: string,
    key: string,
    fingerprint: string,
  ): Promise<IdempotencyRecordEntity | undefined> {
    const now = new Date();
    const record = this.records.create({
      id: newId('idem'),
      scope,
      key,
      fingerprint,
      state: 'IN_FLIGHT',
      responseStatus: null,
      responseBody: null,
      lockedUntil: new Date(now.getTime() + this.config.idempotency.leaseMs),
      expiresAt: new Date(now.getTime() + this.config.idempotency.ttlHours * 3_600_000),
    });
    try {
      await this.uow.run(async (m) => {
        await m.delete(IdempotencyRecordEntity, { scope, key, expiresAt: LessThan(now) });
        await m.insert(IdempotencyRecordEntity, record);
      });
      return record;
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /**
   * A record still IN_FLIGHT after its lease belongs to a process that died. Taking it over is safe
   * for money: a retried charge derives the same orderId from the key, so it finds the first
   * attempt's payment instead of charging again.
   */
  private async takeOverIfAbandoned(existing: IdempotencyRecordEntity): Promise<IdempotencyRecordEntity | undefined> {
    const now = new Date();
    if (existing.lockedUntil.getTime() > now.getTime()) return undefined;
    const lockedUntil = new Date(now.getTime() + this.config.idempotency.leaseMs);
    const result = await this.uow.run((m) =>
      m.update(
        IdempotencyRecordEntity,
        { id: existing.id, state: 'IN_FLIGHT', lockedUntil: existing.lockedUntil },
        { lockedUntil },
      ),
    );
    return result.affected === 1 ? { ...existing, lockedUntil } : undefined;
  }
}
