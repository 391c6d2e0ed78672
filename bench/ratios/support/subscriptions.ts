import { DataSource } from 'typeorm';
import { DEFAULT_TENANT_ID } from '../../../apps/payments/src/common/auth/principal';
import { loadDatabaseConfig } from '../../../apps/payments/src/config/app-config';
import { dataSourceOptions } from '../../../apps/payments/src/database/data-source-options';
import { newId } from '../../../apps/payments/src/database/ids';
import { defaultAnchorDay } from '../../../apps/payments/src/subscription/calendar/billing-calendar';
import { SubscriptionChargeEntity } from '../../../apps/payments/src/subscription/entities/subscription-charge.entity';
import { SubscriptionEntity } from '../../../apps/payments/src/subscription/entities/subscription.entity';
import { SandboxInspector } from '../../../test/support/sandbox-inspector';
import { apiCaller } from '../../../test/support/api-client';
import { givenActiveBillingKey } from '../../../test/support/billing-fixtures';

const SEED_BATCH = 500;

/** The benchmark's own connection to the service's database (migrated by the service), for seeding and checking. */
export async function openDatabase(url: string): Promise<DataSource> {
  const options = dataSourceOptions(loadDatabaseConfig({ DATABASE_URL: url }));
  return new DataSource({ ...options, entities: [SubscriptionEntity, SubscriptionChargeEntity] }).initialize();
}

/**
 * Issues one billing key through the running service's API, then inserts `count` monthly
 * subscriptions on it, all due a minute ago, straight into the table in batches (creating them
 * through the API one by one would take longer than the run).
 */
export async function seedDueSubscriptions(data: DataSource, serviceUrl: string, count: number): Promise<Set<string>> {
  const key = await givenActiveBillingKey(apiCaller(serviceUrl));
  const dueAt = new Date(Date.now() - 60_000);
  const ids = new Set<string>();
  for (let start = 0; start < count; start += SEED_BATCH) {
    const batch = Array.from({ length: Math.min(SEED_BATCH, count - start) }, (_, i) => ({
      id: newId('sub'),
      tenantId: DEFAULT_TENANT_ID,
      customerId: key.customerId,
      billingKeyId: key.id,
      // Distinct amounts below 77,001: the sandbox plays a fault for its reserved amounts 77001–77008.
      amount: 1_000 + ((start + i) % 70_000),
      goodsName: `벤치마크 구독 ${start + i}`,
      interval: 'monthly' as const,
      anchorDay: defaultAnchorDay('monthly', dueAt),
      startAt: dueAt,
      status: 'ACTIVE' as const,
      statusReason: null,
      periodIndex: 0,
      attempt: 0,
      nextChargeAt: dueAt,
      cancelledAt: null,
    }));
    await data.transaction((m) => m.insert(SubscriptionEntity, batch));
    for (const s of batch) ids.add(s.id);
  }
  return ids;
}

/**
 * Throws unless each seeded subscription has exactly one approved first-period attempt in the
 * database and the gateway holds exactly one approval for each of their orders.
 */
export async function expectChargedOnce(data: DataSource, gatewayUrl: string, ids: Set<string>): Promise<void> {
  const charges = (await data.getRepository(SubscriptionChargeEntity).findBy({ status: 'APPROVED' })).filter((c) =>
    ids.has(c.subscriptionId),
  );
  const charged = new Set(charges.map((c) => c.subscriptionId));
  if (charged.size !== charges.length) throw new Error('a subscription has more than one approved attempt');
  if (charged.size !== ids.size) throw new Error(`${ids.size - charged.size} of ${ids.size} subscriptions not charged`);
  await expectOneApprovalPerOrder(
    gatewayUrl,
    charges.map((c) => c.orderId),
  );
}

/** Throws unless the gateway stand-in holds exactly one approval for each order. */
export async function expectOneApprovalPerOrder(gatewayUrl: string, orderIds: string[]): Promise<void> {
  const orders = new Set(orderIds);
  const perOrder = new Map<string, number>();
  for (const a of await new SandboxInspector(gatewayUrl).approvals())
    if (orders.has(a.ordNo)) perOrder.set(a.ordNo, (perOrder.get(a.ordNo) ?? 0) + 1);
  const twice = [...perOrder.values()].filter((n) => n > 1).length;
  if (twice > 0 || perOrder.size !== orders.size || orders.size !== orderIds.length)
    throw new Error(
      `expected one approval for each of ${orderIds.length} orders: ${perOrder.size} approved, ${twice} more than once`,
    );
}
