import { describe, expect, it } from '@jest/globals';
import { ClaimFeed, drainFeed } from './claim-feed';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A feed over `batches`, recording how many items were in flight when each claim started. */
function feedOf(batches: number[][], inFlight: () => number, lowWater: number) {
  const claimedWhileInFlight: number[] = [];
  let next = 0;
  const feed = new ClaimFeed(async () => {
    claimedWhileInFlight.push(inFlight());
    await tick(5);
    return next < batches.length ? batches[next++] : undefined;
  }, lowWater);
  return { feed, claimedWhileInFlight };
}

describe(ClaimFeed.name, () => {
  it('hands every item out once, with at most `lanes` in flight, claiming the next batch while the current one is worked on', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    const { feed, claimedWhileInFlight } = feedOf([[1, 2, 3, 4, 5], [6, 7, 8, 9], [], [10]], () => inFlight, 2);

    await drainFeed(feed, 2, async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick(10);
      done.push(item);
      inFlight--;
    });

    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(most).toBe(2);
    // After the first, claims start while items are still being worked on: no lane waits for a batch to end.
    expect(claimedWhileInFlight[1]).toBeGreaterThan(0);
  });

  it('ends when a claim fails, after the items already claimed, and says why', async () => {
    const done: number[] = [];
    let claims = 0;
    const feed = new ClaimFeed(async () => {
      if (claims++ === 0) return [1, 2];
      throw new Error('database gone');
    }, 0);

    await expect(drainFeed(feed, 1, async (item) => void done.push(item))).rejects.toThrow('database gone');
    expect(done).toEqual([1, 2]);
  });
});
