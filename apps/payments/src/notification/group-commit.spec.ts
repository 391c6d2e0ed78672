import { GroupCommit } from './group-commit';

describe(GroupCommit.name, () => {
  it('flushes what is added in one turn as one batch, and what comes during a flush as the next', async () => {
    const batches: number[][] = [];
    let late: Promise<number> | undefined;
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      if (items.includes(1)) late = commit.add(4);
      return items.map((i) => i * 10);
    }, 10);

    const results = await Promise.all([commit.add(1), commit.add(2), commit.add(3)]);

    expect(results).toEqual([10, 20, 30]);
    expect(await late).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('never flushes more than its batch size at once', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 2);

    expect(await Promise.all([1, 2, 3, 4, 5].map((i) => commit.add(i)))).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('retries a failed batch item by item, so that only the bad item fails', async () => {
    const commit = new GroupCommit<string, string>(async (items) => {
      if (items.includes('bad')) throw new Error('cannot store bad');
      return items.map((i) => i.toUpperCase());
    }, 10);

    const outcomes = await Promise.allSettled(['a', 'bad', 'b'].map((i) => commit.add(i)));

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'A' },
      { status: 'rejected', reason: new Error('cannot store bad') },
      { status: 'fulfilled', value: 'B' },
    ]);
  });
});
