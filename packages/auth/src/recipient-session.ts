import { createHash, randomUUID } from 'node:crypto';
import { AppError, isRecipientId, systemClock, type Clock } from '@herald/core';
import { SignJWT, jwtVerify } from 'jose';
import { CLIENT_ID_PATTERN, assertClientId } from './client-id';
import { toUnauthenticated } from './jose-error';

/** The `typ` of a recipient session: never accepted where a client token is, nor the reverse. */
export const RECIPIENT_SESSION_TYPE = 'herald-recipient+jwt';
/** The audience of a recipient session (client tokens name the api's audience). */
export const RECIPIENT_SESSION_AUDIENCE = 'herald-recipient';
/** A session lasts an hour unless asked otherwise, and never more than a day. */
export const DEFAULT_SESSION_TTL_SECONDS = 3_600;
export const MAX_SESSION_TTL_SECONDS = 86_400;
export const MIN_SESSION_TTL_SECONDS = 60;

/** Who a valid recipient session speaks for: one recipient of one client. */
export interface RecipientSession {
  clientId: string;
  recipientId: string;
  /** Expiry as a JWT NumericDate: seconds since the epoch. */
  expiresAt: number;
}

/** Issues and checks recipient sessions (`POST /v1/recipients/:id/sessions`, `/v1/me/…`). */
export interface RecipientSessions {
  /**
   * A signed session for `recipientId` of `clientId`, valid for `ttlSeconds` (default 1 h).
   * Throws `VALIDATION_FAILED` for a bad client or recipient id or a ttl outside 60 s..24 h.
   */
  issue(p: {
    clientId: string;
    recipientId: string;
    ttlSeconds?: number;
  }): Promise<{ token: string; expiresAt: number }>;
  /**
   * The session a token carries. Rejects with AppError `UNAUTHENTICATED` for anything else: a
   * client token, another type or audience, another key, an expired or malformed token.
   */
  verify(token: string): Promise<RecipientSession>;
}

/**
 * The HMAC key of recipient sessions: derived from the secret, so the same secret could never
 * verify a token of any other kind Herald might sign with it.
 */
export function recipientSessionKey(secret: Uint8Array): Uint8Array {
  return createHash('sha256').update('herald recipient session v1\u0000').update(secret).digest();
}

/**
 * Recipient sessions signed with HS256 under a key derived from `secret`, which only the api
 * holds (every api instance the same): the api both signs and checks them, so a shared secret
 * is all it needs, and it is never the client-token key (the api holds only the public JWKS of
 * those). A session names its recipient (`sub`), its client (`cid`), the recipient audience and
 * its own `typ`; only HS256 is accepted whatever the header says. `secret` must be at least 32
 * bytes (`CONFIG_INVALID` otherwise).
 */
export function createRecipientSessions(options: {
  secret: Uint8Array;
  issuer: string;
  clock?: Clock;
}): RecipientSessions {
  if (options.secret.length < 32) {
    throw new AppError('CONFIG_INVALID', 'the recipient session secret needs at least 32 bytes');
  }
  const key = recipientSessionKey(options.secret);
  const clock = options.clock ?? systemClock;
  return {
    async issue(p) {
      assertClientId(p.clientId);
      if (!isRecipientId(p.recipientId)) {
        throw new AppError('VALIDATION_FAILED', 'recipient id is invalid');
      }
      const ttl = p.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
      if (
        !Number.isInteger(ttl) ||
        ttl < MIN_SESSION_TTL_SECONDS ||
        ttl > MAX_SESSION_TTL_SECONDS
      ) {
        throw new AppError(
          'VALIDATION_FAILED',
          `ttlSeconds must be an integer from ${MIN_SESSION_TTL_SECONDS} to ${MAX_SESSION_TTL_SECONDS}`,
        );
      }
      const issuedAt = Math.floor(clock.now().getTime() / 1000);
      const expiresAt = issuedAt + ttl;
      const token = await new SignJWT({ cid: p.clientId })
        .setProtectedHeader({ alg: 'HS256', typ: RECIPIENT_SESSION_TYPE })
        .setIssuer(options.issuer)
        .setAudience(RECIPIENT_SESSION_AUDIENCE)
        .setSubject(p.recipientId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(randomUUID())
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          typ: RECIPIENT_SESSION_TYPE,
          issuer: options.issuer,
          audience: RECIPIENT_SESSION_AUDIENCE,
          requiredClaims: ['sub', 'exp', 'cid'],
          currentDate: clock.now(),
        }));
      } catch (err) {
        throw toUnauthenticated(err);
      }
      const { sub, cid, exp } = payload;
      if (
        typeof sub !== 'string' ||
        !isRecipientId(sub) ||
        typeof cid !== 'string' ||
        !CLIENT_ID_PATTERN.test(cid) ||
        typeof exp !== 'number'
      ) {
        throw new AppError('UNAUTHENTICATED', 'token is invalid');
      }
      return { clientId: cid, recipientId: sub, expiresAt: exp };
    },
  };
}
