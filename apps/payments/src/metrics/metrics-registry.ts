import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The registry every metric of one app instance lives in, with prom-client's process metrics
 * (CPU, memory, event loop, GC). One per instance, never prom-client's global one: the tests run
 * several services in one process, and their metrics must neither collide nor mix.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
