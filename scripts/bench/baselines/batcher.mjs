/**
 * The batching policy Herald's api uses (packages/aws/src/micro-batcher.ts), written out for the
 * bare SDK baseline: items added in one event-loop turn go out together, up to `maxBatch` per
 * call and `maxInFlight` calls at once; later items wait for a free call.
 */
export function batcher({ maxBatch, maxInFlight, run }) {
  let waiting = [];
  let inFlight = 0;
  let scheduled = false;
  const schedule = () => {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  };
  function flush() {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
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
  }
  return (item) =>
    new Promise((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
}
