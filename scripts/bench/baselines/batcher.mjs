/**
 * The batching policy Herald's api uses (packages/aws/src/micro-batcher.ts), written out for the
 * bare SDK baseline: items added in one event-loop turn go out together, up to `maxBatch` per
 * call and `maxInFlight` calls at once; later items wait for a free call. A batch that is not
 * full waits up to `lingerMs` after its oldest item for more.
 */
export function batcher({ maxBatch, maxInFlight, lingerMs = 0, run }) {
  let waiting = [];
  let inFlight = 0;
  let scheduled = false;
  const lingerLeft = () =>
    waiting.length >= maxBatch ? 0 : Math.max(0, waiting[0].since + lingerMs - performance.now());
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
          (err) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          inFlight--;
          schedule();
        });
    }
    schedule();
  }
  return (item) =>
    new Promise((resolve, reject) => {
      waiting.push({ item, since: performance.now(), resolve, reject });
      schedule();
    });
}
