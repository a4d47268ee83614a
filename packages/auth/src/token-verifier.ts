import { AppError, systemClock } from '@herald/core';
import type { Clock } from '@herald/core';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { CLIENT_ID_PATTERN } from './client-id';
import { ExpiringCache } from './expiring-cache';
import { toUnauthenticated } from './jose-error';
import { parseJwks } from './jwk-shape';
import type { JwksSource } from './jwks-reloader';
import { isScope } from './scopes';
import type { Scope } from './scopes';

/** The caller a valid token identifies. */
export interface VerifiedClient {
  clientId: string;
  /** The known scopes the token grants; unknown scope strings are dropped. */
  scopes: Scope[];
  jti: string;
  /** Expiry as a JWT NumericDate: seconds since the epoch. */
  expiresAt: number;
}

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /**
   * Trusted public keys: a fixed `{ keys: [...] }` (checked like `loadJwks` does), or a
   * {@link JwksSource} such as `createJwksReloader` whose keys may change while the api runs.
   */
  jwks: unknown;
  issuer: string;
  audience: string;
  clockToleranceSeconds?: number;
  /** Asked on every call, cached or not; must be cheap (see `createRevocationCache`). */
  isRevoked: (jti: string) => boolean;
  /** How many verified tokens to remember; 0 turns the cache off. */
  cacheSize?: number;
  clock?: Clock;
}

/** Checks client tokens. */
export interface TokenVerifier {
  /**
   * Resolves the client a token identifies. Rejects with AppError `UNAUTHENTICATED` when the
   * token is malformed, not ES256, signed by an untrusted key, for another issuer or audience,
   * expired, not yet valid, revoked, or when its `sub` is not a valid client id.
   */
  verify(token: string): Promise<VerifiedClient>;
}

/**
 * Builds a verifier over a JWKS. Only ES256 is accepted, whatever the token header says, which
 * shuts out `alg: none` and HS256-with-the-public-key confusion. Successful results are cached
 * until the token expires so hot paths skip the signature check; the revocation check still runs
 * every time. Over a {@link JwksSource}, a change of keys empties that cache (a retired key's
 * tokens fail from then on), and a token naming an unknown `kid` asks the source to reload once
 * (it rate-limits) before it is refused. Throws AppError `CONFIG_INVALID` for an empty or
 * malformed JWKS or a missing issuer or audience.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const source = sourceOf(options.jwks);
  if (options.issuer === '' || options.audience === '') {
    throw new AppError('CONFIG_INVALID', 'the verifier needs an issuer and an audience');
  }
  const clock = options.clock ?? systemClock;
  const cache = new ExpiringCache<VerifiedClient>(options.cacheSize ?? 10_000);
  // Bumped on every key change: a result verified against the keys of an older epoch is not cached.
  let epoch = 0;
  const keySet = keySetOver(source, () => {
    cache.clear();
    epoch += 1;
  });

  const verifyJwt = async (token: string, now: Date) =>
    (
      await jwtVerify(token, keySet(), {
        algorithms: ['ES256'],
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp', 'sub', 'jti', 'iat'],
        typ: 'JWT',
        currentDate: now,
      })
    ).payload;

  async function verifySignatureAndClaims(token: string, now: Date): Promise<VerifiedClient> {
    try {
      const payload = await verifyJwt(token, now).catch(async (err: unknown) => {
        // The kid may belong to a key added since the last reload: reload once, then retry.
        const retry =
          err instanceof errors.JWKSNoMatchingKey && (await source.reloadForUnknownKid());
        if (!retry) throw err;
        return verifyJwt(token, now);
      });
      return toVerifiedClient(payload);
    } catch (err) {
      throw err instanceof AppError ? err : toUnauthenticated(err);
    }
  }

  return {
    async verify(token) {
      const now = clock.now();
      keySet(); // Empties the cache first if the keys changed since the last call.
      const started = epoch;
      let client = cache.get(token, now.getTime());
      if (client === undefined) {
        client = await verifySignatureAndClaims(token, now);
        if (epoch === started) cache.set(token, client, client.expiresAt * 1000);
      }
      if (options.isRevoked(client.jti)) throw new AppError('UNAUTHENTICATED', 'token revoked');
      // A copy, so a caller that edits its result cannot change what the cache hands out next.
      return { ...client, scopes: [...client.scopes] };
    },
  };
}

/** A fixed JWKS as a source that never changes; a source as it is. Checks the first set. */
function sourceOf(jwks: unknown): JwksSource {
  const source = isJwksSource(jwks) ? jwks : fixedSource(parseJwks(jwks, 'the verifier JWKS'));
  if (source.current().keys.length === 0) {
    throw new AppError('CONFIG_INVALID', 'the verifier JWKS has no keys');
  }
  return source;
}

function isJwksSource(value: unknown): value is JwksSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<JwksSource>).current === 'function' &&
    typeof (value as Partial<JwksSource>).reloadForUnknownKid === 'function'
  );
}

function fixedSource(jwks: ReturnType<typeof parseJwks>): JwksSource {
  return { current: () => jwks, reloadForUnknownKid: () => Promise.resolve(false) };
}

/** The jose key set of the source's current keys, rebuilt (calling `onChange`) when they change. */
function keySetOver(source: JwksSource, onChange: () => void) {
  let keys = source.current();
  let keySet = createLocalJWKSet(keys);
  return () => {
    const now = source.current();
    if (now !== keys) {
      keys = now;
      keySet = createLocalJWKSet(now);
      onChange();
    }
    return keySet;
  };
}

function toVerifiedClient(payload: JWTPayload): VerifiedClient {
  const { sub, jti, exp, scope } = payload;
  if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') {
    throw new AppError('UNAUTHENTICATED', 'token is invalid');
  }
  // The sub becomes the client id in keys, logs and ownership checks: a signature alone does not
  // make "", NUL, "#" or a line break safe there.
  if (!CLIENT_ID_PATTERN.test(sub)) throw new AppError('UNAUTHENTICATED', 'token is invalid');
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(isScope) : [];
  return { clientId: sub, scopes: [...new Set(scopes)], jti, expiresAt: exp };
}
