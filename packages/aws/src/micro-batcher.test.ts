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
});
