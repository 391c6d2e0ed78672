import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * PaymentsModule's registry as a host injects it (docs/mounting.md "What the host owns"): the
 * `Registry` class token itself stays inside the module, so that it never meets a host's own.
 */
export const PAYMENTS_METRICS_REGISTRY = Symbol('PAYMENTS_METRICS_REGISTRY');

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
