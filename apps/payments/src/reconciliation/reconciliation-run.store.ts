import { Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { newId } from '../database/ids';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainEvents } from '../events/domain-events';
import { PaymentStateService } from '../payment/state/payment-state.service';
import { ReconciliationMismatchEntity } from './entities/reconciliation-mismatch.entity';
import {
  ReconciliationRunEntity,
  type ReconciliationRunStatus,
  type ReconciliationTrigger,
} from './entities/reconciliation-run.entity';
import { mismatchView } from './reconciliation.view';

/** How a payment came out of the comparison; each counts once on its run. */
export type PaymentOutcome = 'matched' | 'corrected' | 'attention' | 'unchecked';

/** A mismatch as the runner found and resolved it, before it is stored. */
export type NewMismatch = Omit<ReconciliationMismatchEntity, 'id' | 'runId' | 'attempt' | 'createdAt'>;

/** The run's claim is gone (another instance took the day over after the lease ran out): stop at once. */
export class ReconciliationClaimLost extends Error {
  constructor(runId: string) {
    super(`Reconciliation run ${runId} was taken over by another instance`);
    this.name = 'ReconciliationClaimLost';
  }
}

/**
 * The one writer of `reconciliation_runs` and `reconciliation_mismatches`. A day of a merchant is
 * claimed by a conditional insert (the first run) or a conditional update on the attempt number
 * (running it again), so that of two instances racing only one holds it; the holder extends its
 * lease with each payment and every write is conditional on still holding it.
 */
@Injectable()
export class ReconciliationRunStore {
  constructor(
    @InjectRepository(ReconciliationRunEntity, PAYMENTS_DATA_SOURCE)
    private readonly runs: Repository<ReconciliationRunEntity>,
    @InjectRepository(ReconciliationMismatchEntity, PAYMENTS_DATA_SOURCE)
    private readonly mismatches: Repository<ReconciliationMismatchEntity>,
    private readonly uow: UnitOfWork,
    private readonly events: DomainEvents,
    private readonly payments: PaymentStateService,
  ) {}

  /**
   * Claims the day for this instance; undefined when another instance holds it, or (`again`
   * false, the daily job) when it was completed already. A failed run, or one whose instance
   * died (lease over), is always taken over.
   */
  async claim(
    day: { seoulDate: string; merchant: string; mid: string },
    triggeredBy: ReconciliationTrigger,
    leaseMs: number,
    again: boolean,
  ): Promise<ReconciliationRunEntity | undefined> {
    const now = new Date();
    const fresh = {
      status: 'RUNNING' as const,
      triggeredBy,
      checked: 0,
      matched: 0,
      corrected: 0,
      attention: 0,
      unchecked: 0,
      claimedUntil: new Date(now.getTime() + leaseMs),
      startedAt: now,
      finishedAt: null,
      failureReason: null,
    };
    const id = newId('rec');
    try {
      await this.uow.run((m) => m.insert(ReconciliationRunEntity, { id, ...day, attempt: 1, ...fresh }));
      return this.runs.findOneByOrFail({ id });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await this.runs.findOneByOrFail({ seoulDate: day.seoulDate, merchant: day.merchant });
    const takeable: Record<ReconciliationRunStatus, boolean> = {
      FAILED: true,
      COMPLETED: again,
      RUNNING: existing.claimedUntil.getTime() < now.getTime(),
    };
    if (!takeable[existing.status]) return undefined;
    const taken = await this.uow.run((m) =>
      m.update(
        ReconciliationRunEntity,
        {
          id: existing.id,
          attempt: existing.attempt,
          status: existing.status,
          ...(existing.status === 'RUNNING' ? { claimedUntil: LessThan(now) } : {}),
        },
        { ...fresh, attempt: existing.attempt + 1 },
      ),
    );
    return taken.affected === 1 ? this.runs.findOneByOrFail({ id: existing.id }) : undefined;
  }

  /**
   * Records one payment's outcome: the run's counts and lease, each mismatch with its
   * `reconciliation.mismatch` event, and the payment's attention flag, in one transaction.
   */
  async recordPayment(
    run: ReconciliationRunEntity,
    outcome: PaymentOutcome,
    mismatches: NewMismatch[],
    leaseMs: number,
    attention?: { paymentId: string; reason: string },
  ): Promise<void> {
    await this.uow.run(async (m) => {
      const counted = await m
        .createQueryBuilder()
        .update(ReconciliationRunEntity)
        .set({
          [outcome]: () => `${outcome} + 1`,
          ...(outcome === 'unchecked' ? {} : { checked: () => 'checked + 1' }),
          claimedUntil: new Date(Date.now() + leaseMs),
        })
        .where('id = :id AND attempt = :attempt AND status = :running', {
          id: run.id,
          attempt: run.attempt,
          running: 'RUNNING',
        })
        .execute();
      if (counted.affected !== 1) throw new ReconciliationClaimLost(run.id);
      for (const found of mismatches) {
        const mismatch = m.create(ReconciliationMismatchEntity, {
          ...found,
          id: newId('rcm'),
          runId: run.id,
          attempt: run.attempt,
          createdAt: new Date(),
        });
        await m.insert(ReconciliationMismatchEntity, mismatch);
        await this.events.record(
          m,
          'reconciliation.mismatch',
          { ...mismatchView(mismatch), ...runKey(run) },
          mismatch.tenantId,
        );
      }
      if (attention) await this.payments.flagForAttention(m, attention.paymentId, attention.reason);
    });
  }

  complete(run: ReconciliationRunEntity): Promise<boolean> {
    return this.finish(run, 'COMPLETED', null);
  }

  fail(run: ReconciliationRunEntity, reason: string): Promise<boolean> {
    return this.finish(run, 'FAILED', reason.slice(0, 300));
  }

  /** The runs of a Seoul day, one per merchant, with every attempt's mismatches of the tenant's payments. */
  async ofDay(
    seoulDate: string,
    tenantId: string,
  ): Promise<{ runs: ReconciliationRunEntity[]; mismatches: ReconciliationMismatchEntity[] }> {
    const runs = await this.runs.find({ where: { seoulDate }, order: { merchant: 'ASC' } });
    const mismatches =
      runs.length === 0
        ? []
        : await this.mismatches.find({
            where: { tenantId, runId: In(runs.map((r) => r.id)) },
            order: { attempt: 'ASC', createdAt: 'ASC', id: 'ASC' },
          });
    return { runs, mismatches };
  }

  /** The latest runs (newest day first) with their mismatches, newest first: the operations console's list. */
  async recent(
    runLimit: number,
    mismatchLimit: number,
  ): Promise<{ runs: ReconciliationRunEntity[]; mismatches: ReconciliationMismatchEntity[] }> {
    const runs = await this.runs.find({ order: { seoulDate: 'DESC', merchant: 'ASC' }, take: runLimit });
    const mismatches =
      runs.length === 0
        ? []
        : await this.mismatches.find({
            where: { runId: In(runs.map((r) => r.id)) },
            order: { createdAt: 'DESC', id: 'DESC' },
            take: mismatchLimit,
          });
    return { runs, mismatches };
  }

  private async finish(
    run: ReconciliationRunEntity,
    status: ReconciliationRunStatus,
    failureReason: string | null,
  ): Promise<boolean> {
    const finished = await this.uow.run((m) =>
      m.update(
        ReconciliationRunEntity,
        { id: run.id, attempt: run.attempt, status: 'RUNNING' },
        { status, failureReason, finishedAt: new Date() },
      ),
    );
    return finished.affected === 1;
  }
}

function runKey(run: ReconciliationRunEntity): { date: string; merchant: string } {
  return { date: run.seoulDate, merchant: run.merchant };
}
