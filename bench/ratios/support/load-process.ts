import { appendFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { encodeForm } from '@app/paystory';
import { approvalNotification, NOTIFICATION_PATH } from '../../../test/support/notification-factories';

/**
 * The load generator of the ratio benchmarks, in a process of its own. Reads one {@link Load} as
 * JSON on stdin, sends its requests and prints one {@link LoadOutcome} as JSON. Closed loop
 * (`concurrency` lanes, each sending its next request when the last is answered) or open loop
 * (`perSecond`: request i leaves at i / perSecond whatever the answers, and its latency counts
 * from then, so that a slow answer delays no measurement).
 *
 * `BENCH_LOAD_TIMELINE=<file>`: also appends one CSV line per request (run id, index, departure in
 * ms from the load's start, latency in ms, status), to see whether slow answers come together (a
 * stall of the service) or apart (queueing).
 */
export interface Load {
  url: string;
  kind: 'charge' | 'bare' | 'floor' | 'notification';
  count: number;
  concurrency?: number;
  perSecond?: number;
  /**
   * Open loop: requests sent first, on the same schedule and connections, and not measured. A fresh
   * client process's first seconds (its sockets, its JIT) are slow; a separate warm-up load, in a
   * process of its own, leaves them inside the measurement.
   */
  warmup?: number;
  apiKey?: string;
  billingKeyId?: string;
  /** Prefix of the Idempotency-Keys and goods names. */
  runId: string;
  /** `notification`: the approvals to notify, one request each. */
  approvals?: { tid: string; ordNo: string; amount: number }[];
}

export interface LoadOutcome {
  elapsedMs: number;
  statuses: Record<string, number>;
  /** Over every request, failed ones included. */
  latencyMs: { p50: number; p99: number; max: number };
  /** `charge`: the orderIds answered 201. */
  orderIds: string[];
  /** This process's own CPU (user + system) per request sent, warm-up included, in ms: the harness's share of the machine. */
  clientCpuMs: number;
}

type Request = { path: string; headers: Record<string, string>; body: string };

function requestOf(load: Load, i: number): Request {
  const json = { 'content-type': 'application/json' };
  const charge = JSON.stringify({ billingKeyId: load.billingKeyId, amount: 15_000, goodsName: '벤치마크 결제' });
  if (load.kind === 'bare') return { path: '/bare', headers: json, body: charge };
  if (load.kind === 'floor') return { path: '/floor', headers: json, body: charge };
  if (load.kind === 'charge')
    return {
      path: '/v1/payments',
      headers: { ...json, authorization: `Bearer ${load.apiKey}`, 'idempotency-key': `${load.runId}-${i}` },
      body: charge,
    };
  const fields = approvalNotification(load.approvals![i]);
  return {
    path: NOTIFICATION_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: encodeForm(fields, 'UTF-8'),
  };
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const load = JSON.parse(input) as Load;
  const warmup = load.perSecond ? (load.warmup ?? 0) : 0;
  const requests = Array.from({ length: warmup + load.count }, (_, i) => requestOf(load, i));
  const latencies: number[] = [];
  const timeline: string[] = [];
  const statuses: Record<string, number> = {};
  const orderIds: string[] = [];
  const client = postClient(load.url);
  const send = async (i: number, from: number) => {
    // An overloaded service may not even accept the connection in time (given up after 10 s):
    // counted as status "error", its time to failure among the latencies.
    let status = 'error';
    try {
      const response = await client(requests[i]);
      status = String(response.status);
      if (load.kind === 'charge' && response.status === 201 && i >= warmup)
        orderIds.push((JSON.parse(response.text) as { orderId: string }).orderId);
    } catch {
      // The status says it.
    }
    const latency = performance.now() - from;
    timeline.push(`${load.runId},${i},${(from - started).toFixed(1)},${latency.toFixed(1)},${status}\n`);
    if (i < warmup) return;
    latencies.push(latency);
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // The measured part starts with the first request past the warm-up.
  let measuredFrom = started;
  if (load.perSecond) {
    const sent: Promise<void>[] = [];
    measuredFrom = started + (warmup * 1000) / load.perSecond;
    for (let i = 0; i < requests.length; i++) {
      const due = started + (i * 1000) / load.perSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sent.push(send(i, due));
    }
    await Promise.all(sent);
  } else {
    let next = 0;
    const lane = async () => {
      while (next < load.count) {
        const i = next++;
        await send(i, performance.now());
      }
    };
    await Promise.all(Array.from({ length: load.concurrency ?? 1 }, lane));
  }
  const elapsedMs = performance.now() - measuredFrom;
  const cpu = process.cpuUsage(cpuBefore);
  if (process.env.BENCH_LOAD_TIMELINE) appendFileSync(process.env.BENCH_LOAD_TIMELINE, timeline.join(''));
  const sorted = latencies.sort((a, b) => a - b);
  const outcome: LoadOutcome = {
    elapsedMs,
    statuses,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] },
    orderIds,
    clientCpuMs: (cpu.user + cpu.system) / 1000 / requests.length,
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * POSTs on kept-alive connections with node:http, the lightest client Node has: the generator shares
 * the machine's cores with the service, and fetch (undici) took about 1.2 ms of CPU a request here,
 * a share of the two cores the service's latency was being measured on (docs/benchmarks.md, tenth round).
 */
function postClient(baseUrl: string): (request: Request) => Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true });
  return ({ path, headers, body }) =>
    new Promise((resolve, reject) => {
      const payload = Buffer.from(body, 'utf8');
      const outgoing = httpRequest(
        { agent, hostname, port, path, method: 'POST', headers: { ...headers, 'content-length': payload.length } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => outgoing.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
