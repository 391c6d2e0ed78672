import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { AppError } from '../apps/payments/src/common/errors/app-error';
import { ErrorCode } from '../apps/payments/src/common/errors/error-code';
import type { AppConfig } from '../apps/payments/src/config/app-config';
import { UnitOfWork } from '../apps/payments/src/database/unit-of-work';
import { IdempotencyRecordEntity } from '../apps/payments/src/idempotency/entities/idempotency-record.entity';
import { IdempotencyStore, type Claim } from '../apps/payments/src/idempotency/idempotency.store';
import { ServiceInstanceEntity } from '../apps/payments/src/instances/entities/service-instance.entity';
import { InstanceLiveness } from '../apps/payments/src/instances/instance-liveness';
import { expectData, expectProblem } from './support/api-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { migratedDataSource } from './support/migrated-data-source';
import { eventually, sleep } from './support/waiting';
import { wireTextClient, type WireTextClient } from './support/wire-text';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';

const DEAD_AFTER_MS = 1_000;
const LONG_LEASE_MS = 60_000;
const SCOPE = 'scope';
const FINGERPRINT = 'fingerprint';

/**
 * The takeover rule of an in-flight Idempotency-Key, against a real database (SQLite here,
 * PostgreSQL in the PostgreSQL pass): a key whose lease has passed is taken over only when its
 * owner instance is gone (no live heartbeat, or no owner at all); a released key is free at once.
 */
describe('Taking over an in-flight Idempotency-Key', () => {
  let store: Awaited<ReturnType<typeof migratedDataSource>>;
  let dataSource: DataSource;
  let uow: UnitOfWork;
  let records: Repository<IdempotencyRecordEntity>;
  let me: InstanceLiveness;
  let owner: InstanceLiveness;

  beforeAll(async () => {
    store = await migratedDataSource([IdempotencyRecordEntity, ServiceInstanceEntity]);
    dataSource = store.dataSource;
    uow = new UnitOfWork(dataSource);
    records = dataSource.getRepository(IdempotencyRecordEntity);
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

  function configOf(leaseMs: number): AppConfig {
    return {
      instances: { heartbeatMs: 100, deadAfterMs: DEAD_AFTER_MS },
      idempotency: { ttlHours: 24, waitMs: 0, leaseMs },
    } as AppConfig;
  }

  function instance(): InstanceLiveness {
    return new InstanceLiveness(uow, configOf(LONG_LEASE_MS));
  }

  /** The store of an instance; a lease of 0 has passed as soon as the key is claimed. */
  function storeOf(liveness: InstanceLiveness, leaseMs = 0): IdempotencyStore {
    return new IdempotencyStore(records, uow, configOf(leaseMs), liveness);
  }

  /** A key whose first request `by` runs (and has not finished). */
  async function inFlight(by: InstanceLiveness, leaseMs = 0): Promise<{ key: string; claim: Claim }> {
    const key = randomUUID();
    const claim = await storeOf(by, leaseMs).claim(SCOPE, key, FINGERPRINT);
    expect(claim.kind).toBe('claimed');
    return { key, claim };
  }

  /** What a retry on instance `by` gets: the key, or the in-flight error's code. */
  async function retry(by: InstanceLiveness, key: string): Promise<Claim['kind'] | ErrorCode> {
    try {
      return (await storeOf(by).claim(SCOPE, key, FINGERPRINT)).kind;
    } catch (error) {
      if (error instanceof AppError) return error.errorCode;
      throw error;
    }
  }

  async function ownerOf(key: string): Promise<string | null> {
    return (await records.findOneByOrFail({ scope: SCOPE, key })).ownerInstanceId;
  }

  it('records the instance running the first request as the owner', async () => {
    const { key } = await inFlight(owner);

    expect(await ownerOf(key)).toBe(owner.id);
  });

  it('leaves a key alone after its lease while its owner keeps its heartbeat, however long the request takes', async () => {
    const { key } = await inFlight(owner);
    for (let i = 0; i < 3; i++) {
      await sleep(DEAD_AFTER_MS / 2);
      await owner.beat();
      expect(await retry(me, key)).toBe(ErrorCode.IdempotencyKeyInFlight);
    }
    expect(await ownerOf(key)).toBe(owner.id);
  });

  it('takes it over once its owner has written no heartbeat for INSTANCE_DEAD_AFTER_MS', async () => {
    const { key } = await inFlight(owner);
    expect(await retry(me, key)).toBe(ErrorCode.IdempotencyKeyInFlight);

    await sleep(DEAD_AFTER_MS + 200);

    expect(await retry(me, key)).toBe('claimed');
    expect(await ownerOf(key)).toBe(me.id);
  });

  it('takes it over at once when its owner left (its heartbeat row is gone)', async () => {
    const { key } = await inFlight(owner);
    await owner.forget();

    expect(await retry(me, key)).toBe('claimed');
    expect(await ownerOf(key)).toBe(me.id);
  });

  it('takes over a live owner’s key stuck for ten leases and at least a minute (its completion or release failed)', async () => {
    const { key } = await inFlight(owner);
    await records.update({ scope: SCOPE, key }, { lockedUntil: new Date(Date.now() - 59_000) });
    expect(await retry(me, key)).toBe(ErrorCode.IdempotencyKeyInFlight);

    await records.update({ scope: SCOPE, key }, { lockedUntil: new Date(Date.now() - 61_000) });
    await owner.beat();

    expect(await retry(me, key)).toBe('claimed');
    expect(await ownerOf(key)).toBe(me.id);
  });

  it('never takes over a dead owner’s key before its lease has passed', async () => {
    const { key } = await inFlight(owner, LONG_LEASE_MS);
    await owner.forget();

    expect(await retry(me, key)).toBe(ErrorCode.IdempotencyKeyInFlight);
    expect(await ownerOf(key)).toBe(owner.id);
  });

  it('frees a key without an owner (written before keys had owners) by its lease alone', async () => {
    const { key: live } = await inFlight(owner, LONG_LEASE_MS);
    const { key: expired } = await inFlight(owner);
    await records.update({ scope: SCOPE }, { ownerInstanceId: null });

    expect(await retry(me, live)).toBe(ErrorCode.IdempotencyKeyInFlight);
    expect(await retry(me, expired)).toBe('claimed');
    expect(await ownerOf(expired)).toBe(me.id);
  });

  it('frees a released key at once, its owner alive and its lease not over', async () => {
    const { key, claim } = await inFlight(owner, LONG_LEASE_MS);
    if (claim.kind !== 'claimed') throw new Error('not claimed');

    await storeOf(owner, LONG_LEASE_MS).release(claim.record);

    expect(await ownerOf(key)).toBeNull();
    expect(await retry(me, key)).toBe('claimed');
    expect(await ownerOf(key)).toBe(me.id);
  });

  it('gives a dead owner’s key to one of two instances retrying it at once', async () => {
    const third = instance();
    await third.beat();
    const { key } = await inFlight(owner);
    await owner.forget();

    const answers = await Promise.all([retry(me, key), retry(third, key)]);

    expect([...answers].sort()).toEqual(['claimed', ErrorCode.IdempotencyKeyInFlight].sort());
    expect(await ownerOf(key)).toBe(answers[0] === 'claimed' ? me.id : third.id);
  });
});

describe('A retry of a slow request whose Idempotency-Key lease has passed', () => {
  let h: ServiceHarness;
  let wire: WireTextClient;

  beforeAll(async () => {
    // The first charge hangs at the gateway for the whole timeout; a retry is told "in flight" at once.
    h = await startHarness({ PAYSTORY_TIMEOUT_MS: '1500', IDEMPOTENCY_WAIT_MS: '200' });
    wire = wireTextClient(h.service.url);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is 409 in flight while the first runs on its live instance, then gets the first request’s answer', async () => {
    const key = await givenActiveBillingKey(h);
    const idempotencyKey = randomUUID();
    const body = chargeRequest(key.id, { amount: 77_002 });
    const charge = () =>
      wire.client.POST('/v1/payments', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
    const records = h.service.app
      .get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE))
      .getRepository(IdempotencyRecordEntity);

    const first = charge();
    await eventually(
      () => records.findOneBy({ key: idempotencyKey }),
      (record) => record !== null,
    );
    // The lease is over while the first request still waits for the gateway (a loaded machine).
    await records.update({ key: idempotencyKey }, { lockedUntil: new Date(Date.now() - 1_000) });
    const whileInFlight = await charge();
    const firstAnswer = await first;
    const afterwards = await charge();

    expect(expectProblem(whileInFlight, 409).type).toContain('idempotency_key_in_flight');
    const payment = expectData(firstAnswer, 202);
    expect(payment.status).toBe('UNKNOWN');
    expect(afterwards.response.status).toBe(202);
    expect(afterwards.response.headers.get('idempotent-replayed')).toBe('true');
    expect(await wire.textOf(afterwards)).toBe(await wire.textOf(firstAnswer));
    expect(await h.gateway.chargesFor(payment.orderId)).toHaveLength(1);
  });
});
