import { ProviderError } from '@herald/core';
import type { RefusalCode, RefusalReason } from '@herald/core';

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

interface KnownCode {
  reasonCode: RefusalCode;
  what: string;
}

const invalid = (what: string): KnownCode => ({ reasonCode: 'recipient_invalid', what });
const unreachable = (what: string): KnownCode => ({ reasonCode: 'recipient_unreachable', what });
const blocked = (what: string): KnownCode => ({ reasonCode: 'recipient_blocked', what });
const rejected = (what: string): KnownCode => ({ reasonCode: 'provider_rejected', what });

/**
 * Twilio error codes that no retry fixes, from twilio.com/docs/api/errors. The `what` texts are
 * ours: Twilio's own messages quote the phone number.
 */
const PERMANENT_CODES = new Map<number, KnownCode>([
  [21211, invalid('the recipient number is invalid')],
  [21214, invalid('the recipient number cannot be reached')],
  [21217, invalid('the recipient number does not appear valid')],
  [21219, unreachable('the recipient number is not verified for this account')],
  [21401, invalid('the recipient number is invalid')],
  [21407, unreachable('the recipient number does not support SMS')],
  [21408, unreachable("the recipient's region is not enabled for this account")],
  [21421, invalid('the recipient number is invalid')],
  [21604, invalid('the recipient number is missing')],
  [21610, { reasonCode: 'recipient_opted_out', what: 'the recipient has opted out' }],
  [21612, unreachable('the recipient number is not reachable by SMS')],
  [21614, invalid('the recipient number is not a mobile number')],
  [30003, unreachable('the recipient handset is unreachable')],
  [30004, blocked('the message was blocked')],
  [30005, invalid('the recipient handset is unknown')],
  [30006, unreachable('the recipient is a landline or an unreachable carrier')],
  [30007, blocked('the message was filtered by the carrier')],
  [63016, rejected('free-form WhatsApp messages need an open session; use a template')],
  [63024, rejected('the WhatsApp recipient is invalid')],
  [63032, rejected('WhatsApp does not allow this message for this user')],
]);

const AUTH_CODES = new Set([20003]);
const THROTTLED_CODES = new Set([20429]);

/**
 * Turns whatever `TwilioMessages.create` threw into a ProviderError:
 * - aborted (the caller's deadline) → retryable `provider_timeout`;
 * - HTTP 401 or code 20003 → retryable `provider_auth_failed`: an operator fixes the credentials,
 *   and the notifications should survive until then;
 * - HTTP 429 or code 20429, HTTP 5xx → retryable `provider_unavailable`;
 * - a code listed in `PERMANENT_CODES` → permanent `recipient_invalid`, `recipient_unreachable`,
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
  const known = f.code === undefined ? undefined : PERMANENT_CODES.get(f.code);
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

/** How a Twilio status callback's `MessageStatus` settles a notification. */
export type TwilioDeliveryOutcome = 'delivered' | 'failed' | 'pending';

/**
 * Maps a status callback's `MessageStatus`: `delivered` and `read` (WhatsApp) → `delivered`;
 * `undelivered`, `failed` and `canceled` → `failed`; everything else (queued, sending, sent,
 * accepted, scheduled, unknown values) → `pending`, i.e. wait for a later callback. `errorCode`
 * does not change the outcome: Twilio sets it on failures, and occasionally on delivered messages
 * as a warning.
 */
export function twilioDeliveryOutcome(status: string, _errorCode?: string): TwilioDeliveryOutcome {
  switch (status.toLowerCase()) {
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return 'pending';
  }
}

/**
 * The refusal reason for a failed status callback: the `PERMANENT_CODES` reason for a known
 * `ErrorCode` (30003 → `recipient_unreachable`, 30007 → `recipient_blocked`, …), else
 * `provider_undelivered`. The message holds the code, never callback text.
 */
export function twilioReceiptReason(errorCode?: string): RefusalReason {
  const code =
    errorCode !== undefined && /^\d{1,6}$/.test(errorCode) ? Number(errorCode) : undefined;
  const known = code === undefined ? undefined : PERMANENT_CODES.get(code);
  if (known !== undefined) {
    return { code: known.reasonCode, message: `Twilio: ${known.what} (code ${code})` };
  }
  return {
    code: 'provider_undelivered',
    message:
      code === undefined
        ? 'Twilio could not deliver the message'
        : `Twilio could not deliver the message (code ${code})`,
  };
}
