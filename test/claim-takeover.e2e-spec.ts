import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../apps/payments/src/config/app-config';
import { newId } from '../apps/payments/src/database/ids';
import { UnitOfWork } from '../apps/payments/src/database/unit-of-work';
import { ServiceInstanceEntity } from '../apps/payments/src/instances/entities/service-instance.entity';
import { InstanceLiveness } from '../apps/payments/src/instances/instance-liveness';
import { takeOverClaim } from '../apps/payments/src/subscription/claim-takeover';
import {
  SubscriptionChargeEntity,
  type SubscriptionChargeStatus,
} from '../apps/payments/src/subscription/entities/subscription-charge.entity';
import { migratedDataSource } from './support/migrated-data-source';
import { sleep } from './support/waiting';

const DEAD_AFTER_MS = 1_000;
const LEASE_MS = 60_000;

/**
 * The takeover rule of subscription claims (`takeOverClaim`), one conditional UPDATE judged by the
 * database, against a real database: SQLite here, PostgreSQL in the PostgreSQL pass, whose clocks
 * and time functions differ.
 */
describe('Taking over a subscription charge claim', () => {
  let store: Awaited<ReturnType<typeof migratedDataSource>>;
  let dataSource: DataSource;
  let uow: UnitOfWork;
  let me: InstanceLiveness;
  let owner: InstanceLiveness;

  beforeAll(async () => {
    store = await migratedDataSource([SubscriptionChargeEntity, ServiceInstanceEntity]);
    dataSource = store.dataSource;
    uow = new UnitOfWork(dataSource);
  });

  afterAll(async () => {
    await store?.close();
  });

  beforeEach(async () => {
    me = instance();
    owner = instance();
    await me.beat();
    await owner.beat();
  });

  function instance(): InstanceLiveness {
    const config = { instances: { heartbeatMs: 100, deadAfterMs: DEAD_AFTER_MS } } as AppConfig;
    return new InstanceLiveness(uow, config);
  }

  /** A claim row as another instance wrote it, its lease running from `claimedAt`. */
  async function claimOf(
    ownerInstanceId: string | null,
    claimedAt = new Date(),
    status: SubscriptionChargeStatus = 'CLAIMED',
  ): Promise<SubscriptionChargeEntity> {
    const id = newId('chg');
    const claim = dataSource.getRepository(SubscriptionChargeEntity).create({
      id,
      subscriptionId: newId('sub'),
      periodIndex: 0,
      attempt: 0,
      periodStart: claimedAt,
      periodEnd: claimedAt,
      orderId: id.slice(0, 40),
      paymentId: null,
      status,
      failureCode: null,
      claimedUntil: new Date(claimedAt.getTime() + LEASE_MS),
      ownerInstanceId,
    });
    await dataSource.getRepository(SubscriptionChargeEntity).insert(claim);
    return dataSource.getRepository(SubscriptionChargeEntity).findOneByOrFail({ id });
  }

  function takeOver(by: InstanceLiveness, seen: SubscriptionChargeEntity, now = new Date()): Promise<boolean> {
    return uow.run((m) => takeOverClaim(m, by, seen, now, new Date(now.getTime() + LEASE_MS)));
  }

  async function ownerOf(claim: SubscriptionChargeEntity): Promise<string | null> {
    return (await dataSource.getRepository(SubscriptionChargeEntity).findOneByOrFail({ id: claim.id })).ownerInstanceId;
  }

  it('leaves a claim alone while its owner keeps its heartbeat, however long its charge takes', async () => {
    const claim = await claimOf(owner.id);
    for (let i = 0; i < 3; i++) {
      await sleep(DEAD_AFTER_MS / 2);
      await owner.beat();
      expect(await takeOver(me, claim)).toBe(false);
    }
    expect(await ownerOf(claim)).toBe(owner.id);
  });

  it('takes it over once its owner has written no heartbeat for INSTANCE_DEAD_AFTER_MS, long before the lease ends', async () => {
    const claim = await claimOf(owner.id);
    expect(await takeOver(me, claim)).toBe(false);

    await sleep(DEAD_AFTER_MS + 200);

    expect(await takeOver(me, claim)).toBe(true);
    expect(await ownerOf(claim)).toBe(me.id);
  });

  it('takes it over at once when its owner left (its heartbeat row is gone)', async () => {
    const claim = await claimOf(owner.id);
    await owner.forget();

    expect(await takeOver(me, claim)).toBe(true);
    expect(await ownerOf(claim)).toBe(me.id);
  });

  it('sweeps the heartbeat rows of dead instances', async () => {
    await sleep(DEAD_AFTER_MS + 200);
    await me.beat();

    const rows = await dataSource.getRepository(ServiceInstanceEntity).findBy({});
    expect(rows.map((r) => r.id)).toContain(me.id);
    expect(rows.map((r) => r.id)).not.toContain(owner.id);
  });

  it('takes over a live owner’s claim whose lease ran out (the backstop)', async () => {
    const claim = await claimOf(owner.id, new Date(Date.now() - LEASE_MS - 1));

    expect(await takeOver(me, claim)).toBe(true);
  });

  it('takes over an UNKNOWN attempt of a live owner: it is only re-checked, never charged anew', async () => {
    const claim = await claimOf(owner.id, new Date(), 'UNKNOWN');

    expect(await takeOver(me, claim)).toBe(true);
  });

  it('frees a claim without an owner (written before claims had owners) by its lease only', async () => {
    const live = await claimOf(null);
    const expired = await claimOf(null, new Date(Date.now() - LEASE_MS - 1));

    expect(await takeOver(me, live)).toBe(false);
    expect(await takeOver(me, expired)).toBe(true);
  });

  it('gives a dead owner’s claim to one of two instances taking it over from the same read', async () => {
    const third = instance();
    await third.beat();
    const claim = await claimOf(owner.id);
    await owner.forget();

    const taken = await Promise.all([takeOver(me, claim), takeOver(third, claim)]);

    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await ownerOf(claim)).toBe(taken[0] ? me.id : third.id);
  });
});
