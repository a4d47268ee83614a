/**
 * The batching policy Herald's api uses (packages/aws/src micro-batcher), written out for the
 * bare SDK baseline: items added in one event-loop turn go out together, up to `maxBatch` per
 * call and `maxInFlight` calls at once; later items wait for a free call. A batch that is not
 * full waits up to `lingerMs` after its oldest item for more.
 */
export interface BatcherOptions<T> {
  maxBatch: number;
  maxInFlight: number;
  lingerMs?: number;
  run: (items: T[]) => Promise<void>;
}

interface Waiting<T> {
  item: T;
  since: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Returns `add(item)`, which resolves once the batch call carrying the item succeeded. */
export function batcher<T>(options: BatcherOptions<T>): (item: T) => Promise<void> {
  const { maxBatch, maxInFlight, lingerMs = 0, run } = options;
  const waiting: Waiting<T>[] = [];
  let inFlight = 0;
  let scheduled = false;
  const lingerLeft = () => {
    const oldest = waiting[0];
    if (oldest === undefined || waiting.length >= maxBatch) return 0;
    return Math.max(0, oldest.since + lingerMs - performance.now());
  };
  const schedule = () => {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    scheduled = true;
    const wait = lingerLeft();
    if (wait === 0) setImmediate(flush);
    else setTimeout(flush, wait);
  };
  function flush() {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      if (lingerLeft() > 0) break;
      const batch = waiting.splice(0, maxBatch);
      inFlight++;
      run(batch.map((w) => w.item))
        .then(
          () => batch.forEach((w) => w.resolve()),
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          inFlight--;
          schedule();
        });
    }
    schedule();
  }
  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, since: performance.now(), resolve, reject });
      schedule();
    });
}
