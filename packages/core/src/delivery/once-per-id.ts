import type { DeliveryOutcome } from './delivery-outcome';

/**
 * `run` for one id at a time in this process. A lease lets its owner claim again (a restarted
 * worker with the same id), so a second message for an id this worker is working on right now
 * (a sweeper re-enqueue, an SQS duplicate) would be claimed and run twice beside the first: it is
 * handed back for `busyMs` instead.
 */
export function oncePerId(
  run: (id: string) => Promise<DeliveryOutcome>,
  busyMs: number,
): (id: string) => Promise<DeliveryOutcome> {
  const inFlight = new Set<string>();
  return async (id) => {
    if (inFlight.has(id)) return { kind: 'retry-later', delayMs: busyMs };
    inFlight.add(id);
    try {
      return await run(id);
    } finally {
      inFlight.delete(id);
    }
  };
}
