/** How transient failures are retried: capped exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 300_000,
};

/**
 * Delay before attempt `failedAttempts + 1`. Full jitter spreads a burst of failures so that
 * retries do not arrive at a recovering provider all at once.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  failedAttempts: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1),
  );
  return Math.max(policy.baseDelayMs / 4, Math.round(random() * ceiling));
}
