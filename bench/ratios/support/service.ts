import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { TEST_API_KEY } from '../../../test/support/api-client';
import { UNREACHABLE_URL } from '../../../test/support/unreachable-url';
import type { Build } from './build';
import { startNodeProcess, type NodeProcess } from './node-process';

/**
 * The built service (`node <build>/apps/payments/src/main.js`) on `databaseUrl`, charging at the
 * gateway stand-in as the sandbox's card merchant. Everything else is the service's default (the
 * janitor on, which resolves a killed instance's unknown outcomes) but what a benchmark sets in
 * `env`: reconciliation off, the gateway's notifications going nowhere, no API quota, and the
 * scheduler off unless asked for.
 */
export function startService(
  build: Build,
  databaseUrl: string,
  gatewayUrl: string,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  return startNodeProcess(
    build.serviceEntry,
    {
      ...build.env,
      DATABASE_URL: databaseUrl,
      API_KEYS: TEST_API_KEY,
      PAYSTORY_BASE_URL: gatewayUrl,
      PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
      PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
      PUBLIC_BASE_URL: UNREACHABLE_URL,
      // The daily reconciliation would be a second, unrelated job if its hour came during a run.
      RECONCILIATION_ENABLED: 'false',
      SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
      // No API limit in the way of the load: the benchmarks measure the service, not a caller's quota.
      RATE_LIMIT_API_PER_MINUTE: '0',
      RATE_LIMIT_NOTIFICATIONS_PER_MINUTE: '0',
      ...cpuProfileOptions('service'),
      ...env,
    },
    '/health/live',
  );
}

/**
 * BENCH_CPU_PROF_DIR: the service and the bare, floor and minimal apps each write a V8 CPU profile (as
 * `node --cpu-prof` would, which NODE_OPTIONS does not take) into that directory when they exit,
 * `<role>-<pid>.cpuprofile`, with the number of HTTP requests it covers in `<role>-<pid>.requests`,
 * through a preload written there. The profiler starts at the process's first request, so that
 * loading the code is left out, as the benchmarks' CPU figures leave it out. For finding where a
 * benchmark's CPU goes (`npm run bench:profiles -- <dir>`); the profiler's own cost is then in the figures.
 *
 * BENCH_HEAP_PROF_DIR: the same, with V8's sampling heap profiler instead, keeping the samples of
 * objects the garbage collector has since freed: `<role>-<pid>.heapprofile`, every allocation
 * sampled once per 16 KB on average, whether it lived or not — what the collector had to clean up.
 */
function cpuProfileOptions(role: 'service' | 'bare' | 'floor' | 'minimal'): Record<string, string> {
  const cpuDir = process.env.BENCH_CPU_PROF_DIR;
  const heapDir = process.env.BENCH_HEAP_PROF_DIR;
  const dir = cpuDir ?? heapDir;
  if (!dir) return {};
  const [domain, start, stop, extension] = cpuDir
    ? ['Profiler', "'Profiler.start'", 'Profiler.stop', 'cpuprofile']
    : [
        'HeapProfiler',
        "'HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }",
        'HeapProfiler.stopSampling',
        'heapprofile',
      ];
  mkdirSync(dir, { recursive: true });
  const preload = join(dir, `profile-preload-${role}.js`);
  const prefix = JSON.stringify(`${dir}/${role}-`);
  writeFileSync(
    preload,
    `const { Session } = require('node:inspector');
const session = new Session();
session.connect();
session.post('${domain}.enable');
let requests = 0;
require('node:diagnostics_channel').subscribe('http.server.request.start', () => {
  if (requests++ === 0) session.post(${start});
});
// An app without shutdown hooks (the bare, floor and minimal apps) would die of SIGTERM without 'exit'.
process.on('SIGTERM', () => { if (process.listenerCount('SIGTERM') === 1) process.exit(0); });
process.on('exit', () => session.post('${stop}', (error, result) => {
  if (error) return;
  const fs = require('node:fs');
  fs.writeFileSync(${prefix} + process.pid + '.${extension}', JSON.stringify(result.profile));
  fs.writeFileSync(${prefix} + process.pid + '.requests', String(requests));
}));
`,
  );
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() };
}

/** The bare baseline app, built and started the same way. */
export function startBare(build: Build): Promise<NodeProcess> {
  return startNodeProcess(build.bareEntry, { ...build.env, ...cpuProfileOptions('bare') }, '/');
}

/** The floor app on its own SQLite file or PostgreSQL database (a `postgres://` URL), calling the gateway stand-in at `gatewayUrl`. */
export function startFloor(build: Build, database: string, gatewayUrl: string): Promise<NodeProcess> {
  return startNodeProcess(
    build.floorEntry,
    { ...build.env, FLOOR_DATABASE: database, GATEWAY_URL: gatewayUrl, ...cpuProfileOptions('floor') },
    '/',
  );
}

/** The minimal app on its own SQLite file or PostgreSQL database (a `postgres://` URL), calling the gateway stand-in at `gatewayUrl`. */
export function startMinimal(build: Build, database: string, gatewayUrl: string): Promise<NodeProcess> {
  return startNodeProcess(
    build.minimalEntry,
    { ...build.env, MINIMAL_DATABASE: database, GATEWAY_URL: gatewayUrl, ...cpuProfileOptions('minimal') },
    '/',
  );
}
