/** The longest wait a provider's Retry-After may ask for: beyond it, the retry policy decides. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Reads an HTTP `Retry-After` value (delay-seconds or an HTTP date) as milliseconds from `now`,
 * capped at one hour. `undefined` when absent or unreadable, so the caller falls back to its
 * own backoff.
 */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d{1,10}$/.test(trimmed)) ms = Number(trimmed) * 1_000;
  else {
    // An HTTP date always starts with the day's name (`Wed, 21 Oct 2015 07:28:00 GMT`).
    if (!/^[A-Z][a-z]{2}, /.test(trimmed)) return undefined;
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
