import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '@herald/core';
import type { Clock } from '@herald/core';
import { SignJWT } from 'jose';

/** Apple refuses a provider token older than an hour; make a new one well before. */
export const APNS_TOKEN_REFRESH_MS = 50 * 60_000;

export interface ApnsTokenOptions {
  /** The key's id from the developer account (10 characters): the token's `kid`. */
  keyId: string;
  /** The team id (10 characters): the token's `iss`. */
  teamId: string;
  /** The `.p8` signing key (see `readApnsKey`). */
  key: KeyObject;
  clock: Clock;
  /** A token is reused for this long. Default `APNS_TOKEN_REFRESH_MS` (50 minutes). */
  refreshAfterMs?: number;
}

/** Provider tokens for APNs' token-based authentication, cached. */
export interface ApnsTokenSource {
  /**
   * The current token (`eyJ…`, ES256 over `{ iss, iat }` with `kid`); a new one once the cached
   * one is `refreshAfterMs` old. Concurrent callers share one signing.
   */
  get(): Promise<string>;
  /**
   * Drops `token` if it is still the cached one (APNs answered `ExpiredProviderToken`), so the
   * next `get` signs afresh. A token already replaced is left alone, so many sends failing on the
   * same old token sign once, not once each (APNs limits how often tokens change).
   */
  invalidate(token: string): void;
}

/** Builds the cached token source. Never throws: the key was checked by `readApnsKey`. */
export function createApnsTokenSource(opts: ApnsTokenOptions): ApnsTokenSource {
  const refreshAfterMs = opts.refreshAfterMs ?? APNS_TOKEN_REFRESH_MS;
  let cached: { token: Promise<string>; value?: string; at: number } | undefined;

  async function sign(iatMs: number): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: opts.keyId })
      .setIssuer(opts.teamId)
      .setIssuedAt(Math.floor(iatMs / 1000))
      .sign(opts.key);
  }

  return {
    get() {
      const now = opts.clock.now().getTime();
      if (cached === undefined || now - cached.at >= refreshAfterMs) {
        const entry: NonNullable<typeof cached> = { token: sign(now), at: now };
        entry.token.then(
          (value) => {
            entry.value = value;
          },
          // A failed signing must not stay cached.
          () => {
            if (cached === entry) cached = undefined;
          },
        );
        cached = entry;
      }
      return cached.token;
    },
    invalidate(token) {
      // A signing still in flight is newer than any token a caller holds: keep it.
      if (cached?.value === token) cached = undefined;
    },
  };
}

/**
 * Reads the APNs signing key: `pemOrPath` is the `.p8` file's PEM text (a PKCS#8 P-256 key) or a
 * path to it. Checks it is a P-256 private key, so a wrong key fails at start, not at send.
 *
 * @throws AppError `CONFIG_INVALID` when the file cannot be read or is not a P-256 private key.
 */
export function readApnsKey(pemOrPath: string): KeyObject {
  let pem = pemOrPath;
  if (!pemOrPath.includes('-----BEGIN')) {
    try {
      pem = readFileSync(pemOrPath, 'utf8');
    } catch (cause) {
      throw new AppError('CONFIG_INVALID', 'APNS_PRIVATE_KEY: the .p8 file cannot be read', {
        cause,
      });
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new AppError('CONFIG_INVALID', 'APNS_PRIVATE_KEY is not a PEM private key', { cause });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new AppError('CONFIG_INVALID', 'APNS_PRIVATE_KEY must be a P-256 (ES256) key');
  }
  return key;
}
