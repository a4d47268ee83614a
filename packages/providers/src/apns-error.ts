import { ProviderError } from '@herald/core';
import type { RefusalCode } from '@herald/core';
import type { ApnsAnswer } from './apns-connections';

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
  deadTarget?: boolean;
}

/** The device token will never work again on this host (Apple: stop sending to it). */
const GONE_REASONS = new Set(['Unregistered', 'ExpiredToken', 'BadDeviceToken']);
/** Our provider token or key is wrong: only an operator can fix it. */
const AUTH_REASONS = new Set([
  'InvalidProviderToken',
  'MissingProviderToken',
  'ExpiredProviderToken',
  'BadCertificate',
  'BadCertificateEnvironment',
  'BadEnvironmentKeyIdInToken',
  'UnrelatedKeyIdInToken',
  'Forbidden',
]);
/** Apple's reasons are short PascalCase words; anything else is not quoted. */
const REASON = /^[A-Za-z]{1,64}$/;

/** The `reason` of an APNs error body (`{"reason":"BadDeviceToken"}`), if it is one. */
export function apnsReason(answer: ApnsAnswer): string | undefined {
  try {
    const parsed = JSON.parse(answer.body) as unknown;
    const reason =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { reason?: unknown }).reason
        : undefined;
    return typeof reason === 'string' && REASON.test(reason) ? reason : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns an APNs answer other than 200 into a ProviderError (`providerCode` is Apple's reason, or
 * the status):
 * - 410 (`Unregistered`, `ExpiredToken`) → permanent `subscription_gone`, `deadTarget`;
 * - 400 `BadDeviceToken` → permanent `recipient_invalid`, `deadTarget` (the token is not valid on
 *   this host, e.g. a sandbox token sent to production; the dead-target key names the environment);
 * - 400 `DeviceTokenNotForTopic` → permanent `recipient_invalid` (wrong bundle id; not dead);
 * - 413 `PayloadTooLarge` → permanent `payload_too_large`;
 * - 403 and the provider-token reasons → retryable `provider_auth_failed` (an operator fixes
 *   the key, team or key id; the notifications survive until then);
 * - 429 (`TooManyRequests`, `TooManyProviderTokenUpdates`), 5xx and anything not an answer →
 *   retryable `provider_unavailable`, with `retryAfterMs` when APNs sent `Retry-After`;
 * - any other 4xx (`BadTopic`, `BadExpirationDate`, `BadPath`…) → permanent `provider_rejected`.
 *
 * The message names only the status and reason, never the device token.
 */
export function translateApnsAnswer(answer: ApnsAnswer, provider: string): ProviderError {
  const reason = apnsReason(answer);
  const verdict = classify(answer.status, reason);
  const retryAfterMs = verdict.retryable ? retryAfterOf(answer) : undefined;
  return new ProviderError(
    provider,
    verdict.retryable,
    `APNs answered ${answer.status}${reason === undefined ? '' : ` (${reason})`}`,
    {
      reasonCode: verdict.reasonCode,
      providerCode: reason ?? String(answer.status),
      deadTarget: verdict.deadTarget === true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

/**
 * A send that got no answer: aborted at the caller's deadline → retryable `provider_timeout`;
 * any connection, TLS or stream failure → retryable `provider_unavailable` (the code stays on
 * the cause, for logs).
 */
export function translateApnsFailure(
  cause: unknown,
  provider: string,
  aborted: boolean,
): ProviderError {
  if (aborted) {
    return new ProviderError(provider, true, 'APNs did not answer before the deadline', {
      cause,
      reasonCode: 'provider_timeout',
    });
  }
  return new ProviderError(provider, true, 'APNs could not be reached', {
    cause,
    reasonCode: 'provider_unavailable',
  });
}

function classify(status: number, reason: string | undefined): Verdict {
  if (status === 410 || (reason !== undefined && GONE_REASONS.has(reason) && status < 500)) {
    return {
      retryable: false,
      reasonCode: status === 410 ? 'subscription_gone' : 'recipient_invalid',
      deadTarget: true,
    };
  }
  if (status === 413) return { retryable: false, reasonCode: 'payload_too_large' };
  if (status === 403 || (reason !== undefined && AUTH_REASONS.has(reason))) {
    return { retryable: true, reasonCode: 'provider_auth_failed' };
  }
  if (reason === 'DeviceTokenNotForTopic') {
    return { retryable: false, reasonCode: 'recipient_invalid' };
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { retryable: false, reasonCode: 'provider_rejected' };
  }
  return { retryable: true, reasonCode: 'provider_unavailable' };
}

/** `Retry-After` in seconds or as an HTTP date, as ms from now; undefined when absent or odd. */
function retryAfterOf(answer: ApnsAnswer, now = Date.now()): number | undefined {
  const raw: unknown = answer.headers['retry-after'];
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string') return undefined;
  if (/^\d{1,7}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
