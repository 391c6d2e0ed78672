import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { newId } from '../database/ids';
import { UnitOfWork } from '../database/unit-of-work';
import { databaseTimeAgo } from './database-clock';
import { ServiceInstanceEntity } from './entities/service-instance.entity';

/**
 * This instance's liveness, as every instance judges it: a random id for this run and a heartbeat
 * row in `service_instances`, written by {@link InstanceHeartbeat} with the database's clock. An
 * instance whose heartbeat is older than INSTANCE_DEAD_AFTER_MS is dead, and what it claimed may
 * be taken over at once.
 *
 * The other side of that rule is self-fencing: an instance that has not written a heartbeat for
 * half of INSTANCE_DEAD_AFTER_MS (by its own monotonic clock, counted from the start of the last
 * write that succeeded, so never less than the database's count) may already look dead to the
 * others, so it claims and sends nothing until a heartbeat gets through again.
 */
@Injectable()
export class InstanceLiveness {
  readonly id = newId('inst');
  /** `performance.now()` when the last successful heartbeat write started; none yet, or left: fenced. */
  private lastBeatStartedAt?: number;
  /** Set by {@link forget}: a stopping instance writes no heartbeat again. */
  private left = false;

  constructor(
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Without a heartbeat this recent an instance neither claims nor sends: it may look dead to the others. */
  get fenceAfterMs(): number {
    return fenceAfterMs(this.config.instances.deadAfterMs);
  }

  /** True when this instance must not claim or send (see the class comment). */
  get fenced(): boolean {
    return isFenced(this.lastBeatStartedAt, performance.now(), this.config.instances.deadAfterMs);
  }

  /**
   * Not fenced, or no longer after one heartbeat written now: a heartbeat only late because the
   * process was busy (its interval job had no turn) is no reason to skip work. An instance that
   * left stays fenced.
   */
  async aliveNow(): Promise<boolean> {
    if (!this.fenced) return true;
    if (this.left) return false;
    await this.beat().catch(() => undefined);
    return !this.fenced;
  }

  /**
   * Writes this instance's heartbeat (its row again, when it was swept while the instance could not
   * write) and sweeps the rows of dead instances, in one transaction.
   */
  async beat(): Promise<void> {
    const started = performance.now();
    const now = this.databaseTimeAgo(0);
    await this.uow.run(async (m) => {
      const written = await m
        .createQueryBuilder()
        .update(ServiceInstanceEntity)
        .set({ heartbeatAt: () => now })
        .where('id = :id', { id: this.id })
        .execute();
      if (written.affected !== 1)
        await m
          .createQueryBuilder()
          .insert()
          .into(ServiceInstanceEntity)
          .values({ id: this.id, startedAt: () => now, heartbeatAt: () => now })
          .execute();
      await m
        .createQueryBuilder()
        .delete()
        .from(ServiceInstanceEntity)
        .where(`heartbeat_at <= ${this.databaseTimeAgo(this.config.instances.deadAfterMs)}`)
        .execute();
    });
    this.lastBeatStartedAt = started;
  }

  /**
   * SQL that is true while the instance whose id is in `instanceIdColumn` is alive: its heartbeat
   * is younger than INSTANCE_DEAD_AFTER_MS on the database's clock. Its negation frees its claims.
   */
  aliveSql(instanceIdColumn: string): string {
    return `EXISTS (SELECT 1 FROM service_instances live WHERE live.id = ${instanceIdColumn} AND live.heartbeat_at > ${this.databaseTimeAgo(this.config.instances.deadAfterMs)})`;
  }

  /** Whether the instance `id` is alive now, by the rule of {@link aliveSql}: one read. */
  async isAlive(id: string): Promise<boolean> {
    const { dataSource } = this.uow;
    const param = dataSource.driver.createParameter('id', 0);
    const [row] = (await dataSource.query(`SELECT ${this.aliveSql(param)} AS alive`, [id])) as { alive: unknown }[];
    // PostgreSQL answers a boolean, SQLite 1 or 0.
    return row.alive === true || row.alive === 1;
  }

  /** This instance stops (graceful shutdown, its claims given back): its row goes, and with it any claim it still holds. */
  async forget(): Promise<void> {
    this.left = true;
    this.lastBeatStartedAt = undefined;
    await this.uow.run((m) => m.delete(ServiceInstanceEntity, { id: this.id }));
  }

  private databaseTimeAgo(ms: number): string {
    return databaseTimeAgo(this.uow.isPostgres, ms);
  }
}

/**
 * Half the dead-after period: the other half is the margin for what happens between the check and
 * the gateway receiving the request (the payment row's insert, a pause of the process).
 */
export function fenceAfterMs(deadAfterMs: number): number {
  return deadAfterMs / 2;
}

/**
 * Whether an instance must stop claiming and sending: it has no heartbeat yet (or left), or the
 * last write that succeeded started more than {@link fenceAfterMs} ago (`nowMs` and
 * `lastBeatStartedAt` on one monotonic clock).
 */
export function isFenced(lastBeatStartedAt: number | undefined, nowMs: number, deadAfterMs: number): boolean {
  return lastBeatStartedAt === undefined || nowMs - lastBeatStartedAt > fenceAfterMs(deadAfterMs);
}
