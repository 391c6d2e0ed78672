/**
 * Runs what is queued together: each `add` resolves (or rejects) with its item's result once the
 * batch holding it has been flushed. The first item waits one turn of the event loop, so that the
 * requests parsed in the same turn join it; items added during a flush form the next batch. Under
 * light load a batch is one item; under load one transaction serves many. A batch that fails is
 * flushed again item by item, so that one bad item fails only itself.
 */
export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private draining = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.flush(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve(results[i]));
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        else for (const entry of batch) await this.flushAlone(entry);
      }
    }
    this.draining = false;
  }

  private async flushAlone(entry: (typeof this.queue)[number]): Promise<void> {
    try {
      entry.resolve((await this.flush([entry.item]))[0]);
    } catch (error) {
      entry.reject(error);
    }
  }
}
