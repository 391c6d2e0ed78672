import { randomUUID } from 'node:crypto';
import { apiCaller, TEST_API_KEY } from '../../test/support/api-client';
import { chargeRequest, givenActiveBillingKey } from '../../test/support/billing-fixtures';
import { createBenchDatabase, type Store } from '../support/bench-database';
import { option } from '../support/processes';
import { buildForBenchmarks } from './support/build';
import { startGateway } from './support/gateway';
import { startService } from './support/service';

const LATENCY_MS = 50;
const WARMUP = 300;

/**
 * `npm run bench:path -- [--store=postgres|sqlite] [--count=400]`: where one charge's added latency
 * goes, with nothing queued behind it. Charges go one at a time to the service (built and started as
 * the ratio benchmarks start it) and a gateway stand-in answering in L = 50 ms; each is split, by the
 * stand-in's own record of when it arrived and when its answer left, into the service's time
 * before the gateway (checks, reads and the claim's writes, the request out) and after it (the
 * answer read, the approval's writes, the response). All processes read one clock.
 */
async function main(): Promise<void> {
  const store = option('store', 'postgres') as Store;
  const count = Number(option('count', '400'));
  process.env.BENCH_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const build = buildForBenchmarks();
  const database = await createBenchDatabase(store);
  const gateway = await startGateway(LATENCY_MS);
  const service = await startService(build, database.url, gateway.url, { PAYSTORY_RATE_LIMIT: '10000' });
  try {
    const key = await givenActiveBillingKey(apiCaller(service.url));
    const now = () => performance.timeOrigin + performance.now();
    const charge = async (): Promise<[number, number]> => {
      const sent = now();
      const response = await fetch(`${service.url}/v1/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${TEST_API_KEY}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(chargeRequest(key.id)),
      });
      await response.text();
      if (response.status !== 201) throw new Error(`a charge was answered ${response.status}`);
      return [sent, now()];
    };
    for (let i = 0; i < WARMUP; i++) await charge();
    await gateway.reset();
    const charges: [number, number][] = [];
    for (let i = 0; i < count; i++) charges.push(await charge());
    const { arrivals, answers } = await gateway.chargeTimes();
    if (arrivals.length !== count) throw new Error(`${arrivals.length} charges reached the stand-in, not ${count}`);
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const p90 = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length * 0.9)];
    const parts = {
      'added (total − L)': charges.map(([sent, answered]) => answered - sent - LATENCY_MS),
      'before the gateway': charges.map(([sent], i) => arrivals[i] - sent),
      'after the gateway': charges.map(([, answered], i) => answered - answers[i]),
      // The stand-in's own time over L (its timer firing late, its parsing and answer): not the service's, but in the total.
      'stand-in over L': arrivals.map((arrived, i) => answers[i] - arrived - LATENCY_MS),
    };
    console.log(`${store}, ${count} charges one at a time, L = ${LATENCY_MS} ms:`);
    for (const [name, values] of Object.entries(parts))
      console.log(`  ${name.padEnd(20)} p50 ${median(values).toFixed(1)} ms, p90 ${p90(values).toFixed(1)} ms`);
  } finally {
    await service.stop();
    await gateway.stop();
    await database.drop();
    build.remove();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
