/**
 * Hands claimed work to charging lanes one item at a time, and claims the next batch while the
 * current one is still being charged (once `lowWater` or fewer items are left), so that no lane
 * waits for a claim transaction and none sits idle at a batch's tail. One claim runs at a time.
 * `claimNext` answers undefined when nothing more is due; a claim that fails ends the feed, and
 * {@link failure} says why once the lanes are done.
 */
export class ClaimFeed<T> {
  private readonly ready: T[] = [];
  private claiming?: Promise<void>;
  private ended = false;
  failure?: unknown;

  constructor(
    private readonly claimNext: () => Promise<T[] | undefined>,
    private readonly lowWater: number,
  ) {}

  /** The next claimed item, waiting for a claim under way; undefined once everything due was handed out. */
  async next(): Promise<T | undefined> {
    for (;;) {
      if (this.ready.length <= this.lowWater) this.claimMore();
      const item = this.ready.shift();
      if (item !== undefined) return item;
      if (!this.claiming) return undefined;
      await this.claiming;
    }
  }

  private claimMore(): void {
    if (this.claiming || this.ended) return;
    this.claiming = this.claimNext()
      .then(
        (batch) => {
          if (batch) this.ready.push(...batch);
          else this.ended = true;
        },
        (error: unknown) => {
          this.failure = error;
          this.ended = true;
        },
      )
      .finally(() => {
        this.claiming = undefined;
      });
  }
}

/** Runs `lanes` loops at once, each taking the feed's next item and working on it until the feed is empty. */
export async function drainFeed<T>(feed: ClaimFeed<T>, lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  const lane = async () => {
    for (let item = await feed.next(); item !== undefined; item = await feed.next()) await work(item);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (feed.failure !== undefined) throw feed.failure;
}
