import type { WindowCounter } from './window-counter';

/** Windows this far behind the newest one taken are forgotten. */
const KEPT_WINDOWS = 2;

/**
 * The count in this process's memory: the store for SQLite, where one instance is the whole
 * deployment (docs/deployment.md). Only each merchant's latest few windows are kept.
 */
export class MemoryWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, Map<number, number>>();

  take(merchant: string, windowStart: number, limit: number): Promise<boolean> {
    let used = this.windows.get(merchant);
    if (!used) this.windows.set(merchant, (used = new Map()));
    const taken = used.get(windowStart) ?? 0;
    if (taken >= limit) return Promise.resolve(false);
    used.set(windowStart, taken + 1);
    for (const start of used.keys()) if (start < windowStart - KEPT_WINDOWS) used.delete(start);
    return Promise.resolve(true);
  }

  async takeSpanning(merchant: string, windowStart: number, limit: number): Promise<boolean> {
    return (await this.take(merchant, windowStart, limit)) && this.take(merchant, windowStart + 1, limit);
  }

  giveBack(merchant: string, windowStarts: readonly number[]): Promise<void> {
    const used = this.windows.get(merchant);
    for (const start of windowStarts) {
      const taken = used?.get(start) ?? 0;
      if (taken > 0) used!.set(start, taken - 1);
    }
    return Promise.resolve();
  }

  /** Nothing to do: `take` keeps only the latest windows, in memory, at no cost to the taker. */
  forgetOld(): Promise<void> {
    return Promise.resolve();
  }
}
