import { ProviderError, systemClock } from '@herald/core';
import type { Clock } from '@herald/core';
import { importPKCS8, SignJWT } from 'jose';
import type { FcmServiceAccount } from './fcm-service-account';

/** The OAuth 2 scope FCM's HTTP v1 API needs. */
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google's assertions may live at most an hour. */
const ASSERTION_SECONDS = 3_600;
/** A token is replaced this long before it expires, so no send carries one about to lapse. */
const REFRESH_MARGIN_MS = 300_000;

export interface FcmAccessTokenOptions {
  account: FcmServiceAccount;
  /** The provider's name in errors. */
  provider: string;
  fetch?: typeof fetch;
  clock?: Clock;
}

/** Access tokens for FCM, fetched with the service account's signed grant and cached. */
export interface FcmAccessTokens {
  /**
   * A valid access token: the cached one until shortly before it expires (5 minutes, or half
   * its life when shorter), else a new one. Concurrent callers share one refresh in flight.
   * Throws a ProviderError: the token endpoint refused the grant → retryable
   * `provider_auth_failed`; unreachable, 5xx or a malformed answer → retryable
   * `provider_unavailable`; `signal` aborted → retryable `provider_timeout`.
   */
  get(signal?: AbortSignal): Promise<string>;
  /** Drops `token` from the cache (FCM answered 401 with it); a newer token is kept. */
  invalidate(token: string): void;
}

interface Cached {
  token: string;
  refreshAt: number;
}

/**
 * Implements the OAuth 2 JWT-bearer grant (RFC 7523) as Google documents it for service
 * accounts: an RS256 assertion with `iss` = client_email, `scope`, `aud` = token_uri, `iat` and
 * `exp` (one hour), POSTed form-encoded to `token_uri`.
 */
export function createFcmAccessTokens(opts: FcmAccessTokenOptions): FcmAccessTokens {
  const clock = opts.clock ?? systemClock;
  const doFetch = opts.fetch ?? fetch;
  const { account, provider } = opts;
  const key = importPKCS8(account.private_key, 'RS256');
  // An unusable key is reported by the first send, not as an unhandled rejection.
  key.catch(() => undefined);
  let cached: Cached | undefined;
  let inFlight: Promise<Cached> | undefined;

  async function assertion(): Promise<string> {
    const iat = Math.floor(clock.now().getTime() / 1_000);
    return new SignJWT({ scope: FCM_SCOPE })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        ...(account.private_key_id === undefined ? {} : { kid: account.private_key_id }),
      })
      .setIssuer(account.client_email)
      .setAudience(account.token_uri)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_SECONDS)
      .sign(await key);
  }

  async function refresh(signal?: AbortSignal): Promise<Cached> {
    let signed: string;
    try {
      signed = await assertion();
    } catch (cause) {
      throw new ProviderError(provider, true, 'the FCM service account key cannot sign', {
        cause,
        reasonCode: 'provider_auth_failed',
      });
    }
    let res: Response;
    try {
      res = await doFetch(account.token_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: signed }),
        redirect: 'manual',
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted === true) {
        throw new ProviderError(provider, true, 'FCM token endpoint did not answer in time', {
          reasonCode: 'provider_timeout',
        });
      }
      throw unavailable(provider, 'FCM token endpoint could not be reached', cause);
    }
    const body = (await res.json().catch(() => undefined)) as
      { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined;
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      const code = typeof body?.error === 'string' ? body.error.slice(0, 64) : String(res.status);
      throw new ProviderError(provider, true, `FCM token endpoint refused the grant (${code})`, {
        reasonCode: 'provider_auth_failed',
        providerCode: code,
      });
    }
    if (!res.ok || typeof body?.access_token !== 'string' || body.access_token === '') {
      throw unavailable(provider, `FCM token endpoint answered ${res.status} without a token`);
    }
    const lifeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3_600) * 1_000;
    const margin = Math.min(REFRESH_MARGIN_MS, lifeMs / 2);
    return { token: body.access_token, refreshAt: clock.now().getTime() + lifeMs - margin };
  }

  return {
    async get(signal) {
      if (cached !== undefined && clock.now().getTime() < cached.refreshAt) return cached.token;
      // The first caller's signal governs the shared refresh; an abort fails only that round.
      inFlight ??= refresh(signal).finally(() => (inFlight = undefined));
      const fresh = await inFlight;
      cached = fresh;
      return fresh.token;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

function unavailable(provider: string, message: string, cause?: unknown): ProviderError {
  return new ProviderError(provider, true, message, {
    reasonCode: 'provider_unavailable',
    ...(cause === undefined ? {} : { cause }),
  });
}
