import { Brackets, type EntityManager } from 'typeorm';
import type { InstanceLiveness } from '../instances/instance-liveness';
import { SubscriptionChargeEntity } from './entities/subscription-charge.entity';

/**
 * Takes over `seen`, another claim on the same attempt, for the instance of `liveness`, in one
 * conditional UPDATE judged by the database: the claim is free when
 * - it is not `CLAIMED` (an `UNKNOWN` attempt: re-checked, never charged as a new one), or
 * - its lease ran out (`claimed_until <= now`: the backstop, and the only rule for a claim written
 *   before claims had owners, so that an instance of the previous release is never overtaken), or
 * - its owner is dead: no heartbeat row younger than INSTANCE_DEAD_AFTER_MS on the database's clock.
 * The row must still be the one read (same owner, same lease): of two instances taking over the
 * same claim, one wins. True when this instance owns the claim now.
 */
export async function takeOverClaim(
  m: EntityManager,
  liveness: InstanceLiveness,
  seen: SubscriptionChargeEntity,
  now: Date,
  claimedUntil: Date,
): Promise<boolean> {
  const ownerAlive = liveness.aliveSql('subscription_charges.owner_instance_id');
  const taken = await m
    .createQueryBuilder()
    .update(SubscriptionChargeEntity)
    .set({ ownerInstanceId: liveness.id, claimedUntil })
    .where('id = :id AND claimed_until = :seenUntil', { id: seen.id, seenUntil: seen.claimedUntil })
    .andWhere(seen.ownerInstanceId === null ? 'owner_instance_id IS NULL' : 'owner_instance_id = :seenOwner', {
      seenOwner: seen.ownerInstanceId,
    })
    .andWhere(
      new Brackets((free) =>
        free
          .where('status <> :claimed', { claimed: 'CLAIMED' })
          .orWhere('claimed_until <= :now', { now })
          .orWhere(`owner_instance_id IS NOT NULL AND NOT ${ownerAlive}`),
      ),
    )
    .execute();
  return taken.affected === 1;
}

/**
 * SQL true while an attempt's claim row `alias` can not be taken over (the opposite of
 * {@link takeOverClaim}'s rule): `CLAIMED`, its lease running (`:now`), its owner alive or unknown.
 * The scan for due work leaves such attempts out, so that instances do not spend a claim on
 * periods another live instance is charging.
 */
export function claimHeldSql(liveness: InstanceLiveness, alias: string): string {
  return (
    `${alias}.status = 'CLAIMED' AND ${alias}.claimed_until > :now AND ` +
    `(${alias}.owner_instance_id IS NULL OR ${liveness.aliveSql(`${alias}.owner_instance_id`)})`
  );
}
