const MB = 1024 * 1024;

export interface MemoryFigures {
  heapUsedMb: number;
  rssMb: number;
}

/** Collects garbage; the runner starts every benchmark with node --expose-gc for this. */
function collectGarbage(): void {
  if (!globalThis.gc) throw new Error('run the benchmarks with node --expose-gc (see docs/benchmarks.md)');
  globalThis.gc();
}

/** Heap and RSS once garbage is collected: the level a run starts from. */
export function settledMemory(): MemoryFigures {
  collectGarbage();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsedMb: heapUsed / MB, rssMb: rss / MB };
}

/**
 * Samples this process's heap and RSS every `intervalMs` and keeps the highest of each. It runs on
 * the event loop it measures, so a sample may come late under load and peaks between samples are
 * missed, equally for every run. The heap peak is mostly garbage V8 has not collected yet.
 */
export function samplePeaks(intervalMs = 20): { stop(): MemoryFigures } {
  const peak = { heapUsed: 0, rss: 0 };
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, heapUsed);
    peak.rss = Math.max(peak.rss, rss);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { heapUsedMb: peak.heapUsed / MB, rssMb: peak.rss / MB };
    },
  };
}

/**
 * Collects garbage every `everyMs` and keeps the highest heap left: what a run really holds, which
 * the heap peak hides under uncollected garbage. Each collection stalls the run for tens of ms.
 */
export function sampleLiveHeap(everyMs: number): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, settledMemory().heapUsedMb)), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, settledMemory().heapUsedMb);
    },
  };
}

/** CPU time this process spent (user + system) since `start` (a `process.cpuUsage()`), in ms. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

export const mb = (value: number): string => `${value.toFixed(1)} MB`;
