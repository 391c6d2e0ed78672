import { randomUUID } from 'node:crypto';
import { apiCaller, TEST_API_KEY } from '../../test/support/api-client';
import { givenActiveBillingKey } from '../../test/support/billing-fixtures';
import { createBenchDatabase } from '../support/bench-database';
import { startGateway } from './support/gateway';
import { startService } from './support/service';
import { buildForBenchmarks } from './support/build';

async function main() {
  const build = buildForBenchmarks();
  const store = (process.env.STORE ?? 'postgres') as 'postgres' | 'sqlite';
  const database = await createBenchDatabase(store);
  const gateway = await startGateway(50);
  const service = await startService(build, database.url, gateway.url, { PAYSTORY_RATE_LIMIT: '10000' });
  try {
    const key = await givenActiveBillingKey(apiCaller(service.url));
    const one = async () => {
      const t0 = performance.timeOrigin + performance.now();
      const res = await fetch(`${service.url}/v1/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ billingKeyId: key.id, amount: 1000, goodsName: 'diag' }),
      });
      await res.text();
      if (res.status !== 201) throw new Error(String(res.status));
      return [t0, performance.timeOrigin + performance.now()];
    };
    const gap = Number(process.env.GAP_MS ?? 0);
    for (let i = 0; i < 300; i++) await one();
    await gateway.reset();
    const client: number[][] = [];
    for (let i = 0; i < 400; i++) {
      client.push(await one());
      if (gap) await new Promise((r) => setTimeout(r, gap));
    }
    const { arrivals, answers } = await gateway.chargeTimes();
    const pre = client.map((c, i) => arrivals[i] - c[0]).sort((a, b) => a - b);
    const post = client.map((c, i) => c[1] - answers[i]).sort((a, b) => a - b);
    const tot = client.map((c) => c[1] - c[0] - 50).sort((a, b) => a - b);
    const q = (a: number[], p: number) => a[Math.floor(a.length * p)];
    for (let i = 395; i < 400; i++) console.log('client', client[i][0], client[i][1], 'gw', arrivals[i], answers[i]);
    console.log(`${store} gap ${gap}: total-L p50 ${q(tot, 0.5)} p90 ${q(tot, 0.9)}; before gateway p50 ${q(pre, 0.5)} p90 ${q(pre, 0.9)}; after p50 ${q(post, 0.5)} p90 ${q(post, 0.9)}`);
  } finally {
    await service.stop();
    await gateway.stop();
    await database.drop();
    build.remove();
  }
}
void main();
