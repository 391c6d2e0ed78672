/**
 * The HTTP client of the charges benchmark, in a process of its own so that building requests and
 * reading answers does not share the service's event loop. Takes a {@link LoadPlan} as JSON in its
 * first argument, fires its charges and prints one {@link LoadResult} as JSON.
 */

export interface LoadPlan {
  url: string;
  apiKey: string;
  billingKeyId: string;
  count: number;
  concurrency: number;
  /** Prefix of the Idempotency-Keys: each charge has its own key. */
  runId: string;
}

export interface LoadResult {
  elapsedMs: number;
  /** How many measured answers had each HTTP status. */
  statuses: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** The orderIds of the approved measured charges, to find them at the gateway. */
  orderIds: string[];
}

async function fire(
  plan: LoadPlan,
): Promise<{ latencies: number[]; statuses: Record<string, number>; orderIds: string[] }> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const orderIds: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < plan.count) {
      const i = next++;
      const started = performance.now();
      const response = await fetch(`${plan.url}/v1/payments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${plan.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': `${plan.runId}-${i}`,
        },
        body: JSON.stringify({ billingKeyId: plan.billingKeyId, amount: 15_000, goodsName: '벤치마크 결제' }),
      });
      const body = (await response.json()) as { orderId?: string };
      latencies.push(performance.now() - started);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status === 201 && body.orderId) orderIds.push(body.orderId);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
  return { latencies, statuses, orderIds };
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]) as LoadPlan;
  const started = performance.now();
  const { latencies, statuses, orderIds } = await fire(plan);
  const elapsedMs = performance.now() - started;
  const sorted = latencies.sort((a, b) => a - b);
  const result: LoadResult = {
    elapsedMs,
    statuses,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1],
    },
    orderIds,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
