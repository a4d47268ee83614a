import { ProviderError } from '@herald/core';
import type { RefusalCode } from '@herald/core';

/** What FCM's error body says: `error.status`, and the `FcmError.errorCode` among `details`. */
export interface FcmFailure {
  httpStatus: number;
  /** google.rpc status, e.g. `INVALID_ARGUMENT`, `NOT_FOUND`, `RESOURCE_EXHAUSTED`. */
  status?: string;
  /** FCM's own code, e.g. `UNREGISTERED`, `QUOTA_EXCEEDED`, `SENDER_ID_MISMATCH`. */
  errorCode?: string;
  /** A `BadRequest` field violation names `message.token`: the token itself is malformed. */
  tokenInvalid: boolean;
  /** From `Retry-After`, in ms. */
  retryAfterMs?: number;
}

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
  message: string;
  deadTarget?: boolean;
}

const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * Reads FCM's JSON error body (`{ error: { code, message, status, details } }`). Only codes are
 * kept; messages can quote the token, which identifies a device.
 */
export function parseFcmFailure(
  httpStatus: number,
  body: unknown,
  retryAfterMs: number | undefined,
): FcmFailure {
  const failure: FcmFailure = { httpStatus, tokenInvalid: false };
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return failure;
  const { status, details, message } = error as {
    status?: unknown;
    details?: unknown;
    message?: unknown;
  };
  if (typeof status === 'string' && CODE.test(status)) failure.status = status;
  for (const detail of Array.isArray(details) ? (details as unknown[]) : []) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { errorCode, fieldViolations } = detail as {
      errorCode?: unknown;
      fieldViolations?: unknown;
    };
    if (typeof errorCode === 'string' && CODE.test(errorCode)) failure.errorCode = errorCode;
    if (Array.isArray(fieldViolations)) {
      for (const v of fieldViolations as { field?: unknown }[]) {
        if (v.field === 'message.token') failure.tokenInvalid = true;
      }
    }
  }
  // FCM's documented answer for a malformed token carries only this sentence.
  if (typeof message === 'string' && /not a valid FCM registration token/i.test(message))
    failure.tokenInvalid = true;
  return failure;
}

/**
 * Classifies an FCM error answer:
 * - `UNREGISTERED` or 404 → permanent `subscription_gone`, `deadTarget` (the app was
 *   uninstalled or the token expired: later notifications to it are refused at once);
 * - `INVALID_ARGUMENT` on the token itself → permanent `recipient_invalid`, `deadTarget` (it
 *   will never become valid);
 * - `SENDER_ID_MISMATCH` → permanent `recipient_invalid`, not dead: a token of another Firebase
 *   project, which a corrected FCM_SERVICE_ACCOUNT would reach, so nothing is remembered;
 * - 401, 403, `THIRD_PARTY_AUTH_ERROR` → retryable `provider_auth_failed` (the caller has already
 *   refreshed the access token once on a 401);
 * - 429 / `QUOTA_EXCEEDED`, 503 / `UNAVAILABLE`, 500 / `INTERNAL` and other 5xx → retryable
 *   `provider_unavailable`, carrying Retry-After when FCM sent one;
 * - any other 4xx (`INVALID_ARGUMENT` on the payload…) → permanent `provider_rejected`.
 */
export function translateFcmFailure(f: FcmFailure, provider: string): ProviderError {
  const verdict = classify(f);
  const providerCode = f.errorCode ?? f.status ?? String(f.httpStatus);
  return new ProviderError(provider, verdict.retryable, verdict.message, {
    reasonCode: verdict.reasonCode,
    providerCode,
    deadTarget: verdict.deadTarget ?? false,
    ...(verdict.retryable && f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
  });
}

function classify(f: FcmFailure): Verdict {
  const code = f.errorCode ?? f.status ?? `HTTP ${f.httpStatus}`;
  if (f.errorCode === 'UNREGISTERED' || f.httpStatus === 404) {
    const message = 'FCM registration token is no longer registered';
    return { retryable: false, reasonCode: 'subscription_gone', message, deadTarget: true };
  }
  if (f.errorCode === 'SENDER_ID_MISMATCH') {
    const message = 'FCM token belongs to another Firebase project';
    return { retryable: false, reasonCode: 'recipient_invalid', message };
  }
  if (f.httpStatus === 400 && f.tokenInvalid) {
    const message = 'FCM registration token is not valid';
    return { retryable: false, reasonCode: 'recipient_invalid', message, deadTarget: true };
  }
  if (f.httpStatus === 401 || f.httpStatus === 403 || f.errorCode === 'THIRD_PARTY_AUTH_ERROR') {
    const message = `FCM refused our credentials (${code})`;
    return { retryable: true, reasonCode: 'provider_auth_failed', message };
  }
  if (f.httpStatus === 429 || f.httpStatus >= 500) {
    return {
      retryable: true,
      reasonCode: 'provider_unavailable',
      message: `FCM is unavailable (${code})`,
    };
  }
  return { retryable: false, reasonCode: 'provider_rejected', message: `FCM refused (${code})` };
}
