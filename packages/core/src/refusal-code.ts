/**
 * Codes that end a notification `Refused`: each can be its `reason.code`, in the status, the
 * `refused` event and the status event.
 */
export const FINAL_REFUSAL_CODES = [
  'recipient_rejected',
  'recipient_invalid',
  'recipient_unreachable',
  'recipient_opted_out',
  'recipient_blocked',
  'provider_rejected',
  'subscription_gone',
  'provider_undelivered',
  'retries_exhausted',
  'expired',
  'channel_not_configured',
  'invalid_subscription',
  'payload_too_large',
  'endpoint_not_allowed',
  'webhook_not_allowed',
  'webhook_not_configured',
  'processing_failed',
  'cancelled',
  'no_deliverable_recipient',
  'opted_out',
  'recipient_erased',
  'suppressed',
  'recipient_capped',
] as const;

/**
 * Codes of failures that leave a notification `Pending` (retried, or handed to the next provider):
 * they appear only in `attempt_failed` events, logs and `failedOver`; when they persist the
 * notification ends `retries_exhausted` (or `channel_not_configured` for `target_not_supported`).
 */
export const TRANSIENT_REFUSAL_CODES = [
  'provider_unavailable',
  'provider_timeout',
  'provider_auth_failed',
  'circuit_open',
  'paced',
  'target_not_supported',
] as const;

/** Every refusal code Herald writes; the README's "Statuses" table describes each. */
export const REFUSAL_CODES = [...FINAL_REFUSAL_CODES, ...TRANSIENT_REFUSAL_CODES] as const;

/** Why a provider or Herald refused a notification: a closed union, so a typo fails to compile. */
export type RefusalCode = (typeof REFUSAL_CODES)[number];

const known: ReadonlySet<string> = new Set(REFUSAL_CODES);

/** True when `value` is a code this version writes. */
export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && known.has(value);
}

/**
 * A code read back from the store. Items written by another version may hold a code this one
 * does not know; it passes through unchanged (the status shows what was stored) rather than
 * failing the read. Only writes are checked against the union.
 */
export function storedRefusalCode(stored: string): RefusalCode {
  return stored as RefusalCode;
}
