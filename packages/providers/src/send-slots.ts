/** A bounded number of sends at once; the rest wait their turn in arrival order. */
export interface SendSlots {
  /**
   * Resolves with the function that frees the slot once one is free. Rejects with
   * `signal.reason` if `signal` aborts first: the caller never got a slot and must not send.
   */
  acquire(signal: AbortSignal): Promise<() => void>;
}

/** `max` slots (at least 1), handed out first come, first served. */
export function createSendSlots(max: number): SendSlots {
  let free = Math.max(1, max);
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next === undefined) free += 1;
    else next();
  };

  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      if (free > 0) {
        free -= 1;
        return Promise.resolve(once(release));
      }
      return new Promise((resolve, reject) => {
        const grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve(once(release));
        };
        const onAbort = () => {
          waiting.splice(waiting.indexOf(grant), 1);
          reject(signal.reason as Error);
        };
        waiting.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
