import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far V8 lets the old generation grow past the live heap before the next full
 * collection: the limit becomes `live × (1 + percent / 100)` instead of V8's own factor, which
 * reaches 4 when the heap limit is large (about 4 GB by default on a 64-bit machine).
 *
 * Why the worker needs it: its live heap is only about 20 MB, but the AWS SDK allocates about
 * 600 KB per notification, so young-generation collections come every hundred-odd milliseconds
 * and the objects of the 40 in-flight deliveries survive two of them and are promoted. Left to
 * V8, the old generation filled to about 100 MB, mostly dead deliveries, before it was collected:
 * that headroom took the worker to 205–220 MB RSS at peak. At 100 % (a factor of 2) the worker
 * peaks near 150–160 MB; the few more full collections (about 20 ms each, marked concurrently)
 * cost about 1.5 % of its main-thread time, within the noise of its throughput.
 *
 * V8 reads this flag each time it recomputes the limit after a full collection, so setting it at
 * start-up, in the worker itself, applies it however the worker is launched (local mode, Docker,
 * compose, the tests, the benchmark), with no `node` flag to forget. `0` leaves V8's heuristic
 * (and any `--heap-growing-percent` given to `node`) alone.
 */
export function limitHeapGrowth(
  percent: number,
  setFlags: (flags: string) => void = setFlagsFromString,
): void {
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
}
