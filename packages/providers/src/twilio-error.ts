import { ProviderError } from '@herald/core';
import type { RefusalCode } from '@herald/core';
import { permanentTwilioError } from '@herald/guards';

/** What the SDK's RestException and axios' network errors carry; all optional. */
interface TwilioFailure {
  /** HTTP status of Twilio's answer; absent when no answer came. */
  status?: number;
  /** Twilio error code, e.g. 21211. */
  code?: number;
  /** Network error code, e.g. ECONNREFUSED. */
  errno?: string;
  moreInfo?: string;
}

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
  message: string;
}

const AUTH_CODES = new Set([20003]);
const THROTTLED_CODES = new Set([20429]);

/**
 * Turns whatever `TwilioMessages.create` threw into a ProviderError:
 * - aborted (the caller's deadline) → retryable `provider_timeout`;
 * - HTTP 401 or code 20003 → retryable `provider_auth_failed`: an operator fixes the credentials,
 *   and the notifications should survive until then;
 * - HTTP 429 or code 20429, HTTP 5xx → retryable `provider_unavailable`;
 * - a code `permanentTwilioError` knows → permanent `recipient_invalid`, `recipient_unreachable`,
 *   `recipient_opted_out`, `recipient_blocked` or `provider_rejected`;
 * - any other HTTP 4xx → permanent `provider_rejected`;
 * - anything else (no answer: ECONNREFUSED, ETIMEDOUT, ECONNRESET, …) → retryable
 *   `provider_unavailable`.
 *
 * `providerCode` is the Twilio code, else the HTTP status, else the network error code. The
 * message is built from codes only, because it becomes the notification's public
 * `reason.message`. The `cause` keeps only status, code, `moreInfo` and a redacted message: the
 * SDK's errors quote the phone number, and axios errors carry the request body and credentials.
 */
export function translateTwilioError(
  cause: unknown,
  provider: string,
  opts: { aborted: boolean },
): ProviderError {
  const failure = fieldsOf(cause);
  const verdict = opts.aborted || isAbort(cause) ? TIMED_OUT : classify(failure);
  const providerCode =
    failure.code !== undefined
      ? String(failure.code)
      : failure.status !== undefined
        ? String(failure.status)
        : failure.errno;
  return new ProviderError(provider, verdict.retryable, verdict.message, {
    cause: redacted(cause, failure),
    reasonCode: verdict.reasonCode,
    ...(providerCode !== undefined ? { providerCode } : {}),
  });
}

const TIMED_OUT: Verdict = {
  retryable: true,
  reasonCode: 'provider_timeout',
  message: 'Twilio send did not finish before the deadline',
};

function classify(f: TwilioFailure): Verdict {
  const label = labelOf(f);
  if (f.status === 401 || (f.code !== undefined && AUTH_CODES.has(f.code))) {
    return {
      retryable: true,
      reasonCode: 'provider_auth_failed',
      message: `Twilio authentication failed (${label})`,
    };
  }
  if (f.status === 429 || (f.code !== undefined && THROTTLED_CODES.has(f.code))) {
    return transient(`Twilio throttled the request (${label})`);
  }
  if (f.status !== undefined && f.status >= 500) {
    return transient(`Twilio is unavailable (${label})`);
  }
  const known = f.code === undefined ? undefined : permanentTwilioError(f.code);
  if (known !== undefined) {
    return {
      retryable: false,
      reasonCode: known.reasonCode,
      message: `Twilio: ${known.what} (${label})`,
    };
  }
  if (f.status !== undefined && f.status >= 400) {
    return {
      retryable: false,
      reasonCode: 'provider_rejected',
      message: `Twilio rejected the message (${label})`,
    };
  }
  if (f.status !== undefined) return transient(`Twilio answered unexpectedly (${label})`);
  return transient(
    f.errno === undefined
      ? 'Twilio send failed unexpectedly'
      : `Twilio connection failed (${label})`,
  );
}

function transient(message: string): Verdict {
  return { retryable: true, reasonCode: 'provider_unavailable', message };
}

/** `HTTP 400, code 21211`: numbers only, never Twilio's free text. */
function labelOf(f: TwilioFailure): string {
  const parts = [
    ...(f.status !== undefined ? [`HTTP ${f.status}`] : []),
    ...(f.code !== undefined ? [`code ${f.code}`] : []),
    ...(f.status === undefined && f.errno !== undefined ? [f.errno] : []),
  ];
  return parts.length === 0 ? 'unknown error' : parts.join(', ');
}

function isAbort(cause: unknown): boolean {
  return (
    cause instanceof Error &&
    (cause.name === 'AbortError' || (cause as { code?: unknown }).code === 'ERR_CANCELED')
  );
}

function fieldsOf(cause: unknown): TwilioFailure {
  if (typeof cause !== 'object' || cause === null) return {};
  const c = cause as Record<string, unknown>;
  const f: TwilioFailure = {};
  if (isHttpStatus(c.status)) f.status = c.status;
  // An axios error that did get an answer (the SDK normally turns those into RestException).
  const response = c.response as Record<string, unknown> | undefined;
  if (f.status === undefined && typeof response === 'object' && response !== null) {
    if (isHttpStatus(response.status)) f.status = response.status;
  }
  if (typeof c.code === 'number' && Number.isInteger(c.code)) f.code = c.code;
  // Codes only feed messages when they look like codes, so odd values cannot smuggle text in.
  if (typeof c.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(c.code)) f.errno = c.code;
  if (typeof c.moreInfo === 'string' && /^https:\/\/[\w./-]+$/.test(c.moreInfo)) {
    f.moreInfo = c.moreInfo;
  }
  return f;
}

function isHttpStatus(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v < 600;
}

/**
 * A plain Error with the failure's codes. Digit runs long enough to be phone numbers are
 * redacted from the message and stack; nothing else of the original (axios' `config` with the
 * form body and Authorization header, `response`) is kept.
 */
function redacted(cause: unknown, f: TwilioFailure): Error {
  const original = cause instanceof Error ? cause : undefined;
  const err = new Error(redact(original?.message ?? String(cause)));
  err.name = original?.name ?? 'Error';
  if (original?.stack !== undefined) err.stack = redact(original.stack);
  return Object.assign(err, {
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.code !== undefined ? { code: f.code } : f.errno !== undefined ? { code: f.errno } : {}),
    ...(f.moreInfo !== undefined ? { moreInfo: f.moreInfo } : {}),
  });
}

/** `+44 7700 900123`, `447700900123`, `whatsapp:+1 (555) 010-0199`: 7+ digits, maybe spaced. */
const PHONE_LIKE = /\+?\d(?:[\s().-]*\d){6,}/g;

function redact(text: string): string {
  return text.replace(PHONE_LIKE, '[redacted]');
}
