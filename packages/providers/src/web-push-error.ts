import { ProviderError, isAppError } from '@herald/core';
import type { RefusalCode } from '@herald/core';

/** What web-push's `WebPushError` and Node's network errors carry; all optional. */
interface PushFailure {
  statusCode?: number;
  code?: string;
}

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
  message: string;
  deadTarget?: boolean;
}

const TIMED_OUT: Verdict = {
  retryable: true,
  reasonCode: 'provider_timeout',
  message: 'Web push send did not finish before the deadline',
};

/** A subscription key that is not a P-256 point: this subscription can never be encrypted to. */
const INVALID_KEY_CODES = new Set(['ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY']);

/**
 * Turns whatever web-push threw into a ProviderError:
 * - aborted (the caller's deadline) → retryable `provider_timeout`;
 * - 404, 410 → permanent `subscription_gone` with `deadTarget`: the browser unsubscribed or the
 *   push service expired the subscription, and RFC 8030 says never to send to it again;
 * - 413 → permanent `payload_too_large`;
 * - 400 and any other 4xx except 401/403/408/429 → permanent `provider_rejected`;
 * - 401, 403 → retryable `provider_auth_failed`: the VAPID keys or subject are wrong, which an
 *   operator fixes, and the notifications should survive until then;
 * - 408, 429, 5xx, other non-2xx → retryable `provider_unavailable`;
 * - a subscription key that is not a curve point → permanent `invalid_subscription`;
 * - the guarded agent refused the endpoint's address or port → permanent `endpoint_not_allowed`;
 * - anything else (connection, DNS, TLS, socket timeout, unknown) → retryable
 *   `provider_unavailable`, with one message and no `providerCode` whatever the failure: the
 *   endpoint is the client's choice, and refused-versus-TLS would tell it about the network
 *   behind that address. The code stays on the `cause`, for logs.
 *
 * The message is built from the status or error code only: it becomes the notification's public
 * `reason.message`, and the endpoint URL (which web-push puts on its error) identifies the user.
 * The `cause` keeps the original's name, code, status and stack with every URL redacted.
 */
export function translateWebPushError(
  cause: unknown,
  provider: string,
  opts: { aborted: boolean },
): ProviderError {
  const failure = fieldsOf(cause);
  const verdict = opts.aborted || isAbort(cause) ? TIMED_OUT : classify(cause, failure);
  const providerCode = failure.statusCode !== undefined ? String(failure.statusCode) : undefined;
  return new ProviderError(provider, verdict.retryable, verdict.message, {
    cause: redacted(cause, failure),
    reasonCode: verdict.reasonCode,
    deadTarget: verdict.deadTarget === true,
    ...(providerCode !== undefined ? { providerCode } : {}),
  });
}

function classify(cause: unknown, f: PushFailure): Verdict {
  if (isAppError(cause) && cause.code === 'VALIDATION_FAILED') {
    return {
      retryable: false,
      reasonCode: 'endpoint_not_allowed',
      message: 'Push endpoint is not allowed: it must be a public https address on port 443',
    };
  }
  if (f.statusCode !== undefined) return classifyStatus(f.statusCode);
  if (f.code !== undefined && INVALID_KEY_CODES.has(f.code)) {
    return {
      retryable: false,
      reasonCode: 'invalid_subscription',
      message: 'Web push subscription key is not a P-256 public key',
    };
  }
  return {
    retryable: true,
    reasonCode: 'provider_unavailable',
    message: 'Push service could not be reached',
  };
}

function classifyStatus(status: number): Verdict {
  if (status === 404 || status === 410) {
    return {
      retryable: false,
      reasonCode: 'subscription_gone',
      message: `Push service answered ${status}: the subscription is gone`,
      deadTarget: true,
    };
  }
  if (status === 413) {
    return {
      retryable: false,
      reasonCode: 'payload_too_large',
      message: 'Push service answered 413: the payload is too large',
    };
  }
  if (status === 401 || status === 403) {
    return {
      retryable: true,
      reasonCode: 'provider_auth_failed',
      message: `Push service answered ${status}: VAPID authentication failed`,
    };
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return {
      retryable: false,
      reasonCode: 'provider_rejected',
      message: `Push service answered ${status}: the message was rejected`,
    };
  }
  return {
    retryable: true,
    reasonCode: 'provider_unavailable',
    message: `Push service answered ${status}: try again later`,
  };
}

function isAbort(cause: unknown): boolean {
  return cause instanceof Error && cause.name === 'AbortError';
}

function fieldsOf(cause: unknown): PushFailure {
  if (typeof cause !== 'object' || cause === null) return {};
  const c = cause as Record<string, unknown>;
  const f: PushFailure = {};
  if (typeof c.statusCode === 'number' && Number.isInteger(c.statusCode)) {
    f.statusCode = c.statusCode;
  }
  // Codes only feed messages when they look like codes, so odd values cannot smuggle text in.
  if (typeof c.code === 'string' && /^[A-Z0-9_]{1,60}$/.test(c.code)) f.code = c.code;
  return f;
}

/** A copy without `endpoint`, `body` or `headers`, and with URLs in message and stack removed. */
function redacted(cause: unknown, f: PushFailure): Error {
  const original = cause instanceof Error ? cause : undefined;
  const err = new Error(redact(original?.message ?? String(cause)));
  err.name = original?.name ?? 'Error';
  if (original?.stack !== undefined) err.stack = redact(original.stack);
  return Object.assign(err, f);
}

function redact(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s'"<>)]+/gi, '[redacted-url]');
}
