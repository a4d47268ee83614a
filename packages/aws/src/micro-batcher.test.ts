import { createMicroBatcher } from './micro-batcher';

const fulfilled = <R>(value: R): PromiseSettledResult<R> => ({ status: 'fulfilled', value });

describe('createMicroBatcher', () => {
  it('sends items added in the same turn as one batch, split at maxBatch', async () => {
    const calls: number[][] = [];
    const batcher = createMicroBatcher<number, number>({
      maxBatch: 3,
      maxInFlight: 4,
      run: (items) => {
        calls.push(items);
        return Promise.resolve(items.map((n) => fulfilled(n * 2)));
      },
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(calls).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('holds new items while maxInFlight batches run, then sends them together', async () => {
    const calls: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = createMicroBatcher<number, number>({
      maxBatch: 10,
      maxInFlight: 1,
      run: async (items) => {
        calls.push(items);
        if (calls.length === 1) await gate;
        return items.map((n) => fulfilled(n));
      },
    });
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => batcher.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(calls).toEqual([[1], [2, 3, 4]]);
  });

  it('fails only the items the batch reports as failed, and every item when it throws', async () => {
    let call = 0;
    const batcher = createMicroBatcher<string, string>({
      maxBatch: 10,
      maxInFlight: 1,
      run: (items) => {
        call++;
        if (call === 2) return Promise.reject(new Error('down'));
        return Promise.resolve(
          items.map((s): PromiseSettledResult<string> =>
            s === 'bad' ? { status: 'rejected', reason: new Error('refused') } : fulfilled(s),
          ),
        );
      },
    });
    const [ok, bad] = await Promise.allSettled([batcher.add('ok'), batcher.add('bad')]);
    expect(ok).toEqual({ status: 'fulfilled', value: 'ok' });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('refused') });
    await expect(batcher.add('x')).rejects.toThrow('down');
  });

  it('lets a batch that is not full linger for more items, and sends a full one at once', async () => {
    const calls: { items: number[]; at: number }[] = [];
    const started = performance.now();
    const batcher = createMicroBatcher<number, number>({
      maxBatch: 3,
      maxInFlight: 4,
      lingerMs: 50,
      run: (items) => {
        calls.push({ items, at: performance.now() - started });
        return Promise.resolve(items.map((n) => fulfilled(n)));
      },
    });
    const first = batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = batcher.add(2);
    await Promise.all([first, second]);
    expect(calls.map((c) => c.items)).toEqual([[1, 2]]);
    expect(calls[0]?.at).toBeGreaterThanOrEqual(49);

    await Promise.all([3, 4, 5].map((n) => batcher.add(n)));
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('drain sends lingering items at once and resolves when every call has answered', async () => {
    const calls: number[][] = [];
    const batcher = createMicroBatcher<number, number>({
      maxBatch: 10,
      maxInFlight: 1,
      lingerMs: 60_000,
      run: async (items) => {
        calls.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.map((n) => fulfilled(n));
      },
    });
    const added = [1, 2].map((n) => batcher.add(n));

    await batcher.drain();

    expect(calls).toEqual([[1, 2]]);
    await expect(Promise.all(added)).resolves.toEqual([1, 2]);
    await expect(batcher.drain()).resolves.toBeUndefined();
  });

  it('rejects items beyond maxWaiting with UNAVAILABLE instead of buffering them', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = createMicroBatcher<number, number>({
      maxBatch: 1,
      maxInFlight: 1,
      maxWaiting: 2,
      run: async (items) => {
        await gate;
        return items.map((n) => fulfilled(n));
      },
    });
    const accepted = [batcher.add(1), batcher.add(2)];

    await expect(batcher.add(3)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    release();
    await expect(Promise.all(accepted)).resolves.toEqual([1, 2]);
  });
});
