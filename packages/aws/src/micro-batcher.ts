import { AppError } from '@herald/core';

/**
 * Gathers single items into batch calls. Items added in the same turn of the event loop go out
 * together (the flush runs on `setImmediate`); while `maxInFlight` batch calls are running, new
 * items wait and join the next one. At low load every item goes out at once; under load the
 * batches grow toward `maxBatch`, so a busy process makes far fewer calls (and spends far less
 * CPU in the SDK) per item.
 *
 * `lingerMs` lets a batch that is not full wait that long after its oldest item for more: fewer
 * calls at a steady trickle, at the price of that much latency. Only for callers nobody waits on
 * (the api's enqueue after it has answered); a request's own reads and writes use 0.
 */
export interface MicroBatcherOptions<T, R> {
  maxBatch: number;
  maxInFlight: number;
  /** How long a batch that is not full may wait for more items. Default 0: the next turn. */
  lingerMs?: number;
  /**
   * Most items waiting for a call; `add` rejects with AppError `UNAVAILABLE` beyond it, so a
   * stalled peer cannot grow the process's memory without bound. Default: unbounded (callers
   * that await their items are bounded by their own concurrency).
   */
  maxWaiting?: number;
  /**
   * Sends one batch. Resolves with one settled result per item, in order (an item can fail
   * alone); a throw fails every item of the batch with that error.
   */
  run(items: T[]): Promise<PromiseSettledResult<R>[]>;
}

interface Waiting<T, R> {
  item: T;
  /** performance.now() when it was added: the oldest waiting item decides when lingering ends. */
  since: number;
  resolve(value: R): void;
  reject(reason: unknown): void;
}

export interface MicroBatcher<T, R> {
  add(item: T): Promise<R>;
  /**
   * Sends everything waiting at once, lingering no more, and resolves when no item is waiting
   * and no call is running (items added meanwhile are sent too). For a clean shutdown.
   */
  drain(): Promise<void>;
}

export function createMicroBatcher<T, R>(opts: MicroBatcherOptions<T, R>): MicroBatcher<T, R> {
  let waiting: Waiting<T, R>[] = [];
  let inFlight = 0;
  let scheduled = false;
  let lingering: NodeJS.Timeout | undefined;
  let draining = false;
  let idle: (() => void)[] = [];

  function lingerLeft(now: number): number {
    const oldest = waiting[0];
    if (oldest === undefined || draining || waiting.length >= opts.maxBatch) return 0;
    return Math.max(0, oldest.since + (opts.lingerMs ?? 0) - now);
  }

  function schedule(): void {
    if (scheduled || inFlight >= opts.maxInFlight || waiting.length === 0) return;
    scheduled = true;
    const wait = lingerLeft(performance.now());
    if (wait === 0) setImmediate(flush);
    else lingering = setTimeout(flush, wait);
  }

  function flush(): void {
    scheduled = false;
    clearTimeout(lingering);
    lingering = undefined;
    while (inFlight < opts.maxInFlight && waiting.length > 0) {
      if (lingerLeft(performance.now()) > 0) break;
      const batch = waiting.slice(0, opts.maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      void send(batch).finally(() => {
        inFlight--;
        schedule();
        settleIdle();
      });
    }
    schedule();
  }

  function settleIdle(): void {
    if (inFlight > 0 || waiting.length > 0) return;
    const resolvers = idle;
    idle = [];
    draining = false;
    for (const resolve of resolvers) resolve();
  }

  async function send(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await opts.run(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const result = results[i];
        if (result === undefined) w.reject(new Error('batch returned no result for an item'));
        else if (result.status === 'fulfilled') w.resolve(result.value);
        else w.reject(result.reason);
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  return {
    add(item) {
      if (waiting.length >= (opts.maxWaiting ?? Infinity)) {
        return Promise.reject(
          new AppError('UNAVAILABLE', `${waiting.length} items are already waiting for a batch`),
        );
      }
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, since: performance.now(), resolve, reject });
        schedule();
      });
    },
    drain() {
      return new Promise<void>((resolve) => {
        idle.push(resolve);
        draining = true;
        // Items lingering for more company go now instead of when their timer fires.
        if (lingering !== undefined) flush();
        else schedule();
        settleIdle();
      });
    },
  };
}
