import type { NotificationView } from '@herald/core';
import { isHeraldApiError } from './errors';

/** Options of {@link HeraldClient.waitForStatus}. */
export interface WaitForStatusOptions {
  /** How long to wait in total, in milliseconds. */
  timeoutMs: number;
  /** Aborts the wait; it then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** `getNotificationStatus`, as the wait loop calls it. */
export type GetStatus = (
  id: string,
  opts: { signal: AbortSignal; waitSeconds?: number },
) => Promise<NotificationView>;

const MAX_WAIT_SECONDS = 20;
/** A server that answers a long-poll at once (an old version, a proxy) still gets one poll a second. */
const MIN_POLL_INTERVAL_MS = 1_000;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2_000;
const TRANSIENT_STATUSES = new Set([408, 429, 502, 503, 504]);

/**
 * Reads the status once, then long-polls (`waitSeconds = min(20, seconds left)`) until it is not
 * `Pending` or `timeoutMs` has passed. See `HeraldClient.waitForStatus` for the contract.
 */
export async function waitForStatus(
  getStatus: GetStatus,
  id: string,
  options: WaitForStatusOptions,
): Promise<NotificationView> {
  const { timeoutMs, signal: userSignal } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new RangeError('timeoutMs must be a finite number >= 0');
  }
  userSignal?.throwIfAborted();
  const startedAt = Date.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = userSignal ? AbortSignal.any([userSignal, deadline]) : deadline;
  let last: NotificationView | undefined;
  let lastError: unknown;
  let failures = 0;

  while (!signal.aborted) {
    const polledAt = Date.now();
    const remainingMs = timeoutMs - (polledAt - startedAt);
    const waitSeconds =
      last === undefined ? undefined : Math.min(MAX_WAIT_SECONDS, Math.ceil(remainingMs / 1000));
    try {
      const view = await getStatus(id, { signal, ...(waitSeconds ? { waitSeconds } : {}) });
      if (view.status !== 'Pending') return view;
      last = view;
      failures = 0;
      if (waitSeconds) await delay(MIN_POLL_INTERVAL_MS - (Date.now() - polledAt), signal);
    } catch (err) {
      if (signal.aborted) break;
      if (!isTransient(err)) throw err;
      lastError = err;
      await delay(retryDelayMs(err, failures++), signal);
    }
  }
  if (userSignal?.aborted) throw userSignal.reason;
  if (last) return last;
  throw lastError ?? deadline.reason;
}

/** Network failures, per-request timeouts and overload answers are worth another try. */
function isTransient(err: unknown): boolean {
  if (isHeraldApiError(err)) return TRANSIENT_STATUSES.has(err.status);
  const name = typeof err === 'object' && err !== null && 'name' in err ? err.name : undefined;
  return name === 'TypeError' || name === 'TimeoutError';
}

function retryDelayMs(err: unknown, failures: number): number {
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** failures);
  const jittered = backoff / 2 + Math.random() * (backoff / 2);
  const retryAfterMs = isHeraldApiError(err) ? (err.retryAfterSeconds ?? 0) * 1000 : 0;
  return Math.max(jittered, retryAfterMs);
}

/** Resolves after `ms`, or as soon as `signal` aborts; the loop then checks the signal. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
