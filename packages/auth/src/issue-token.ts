import { randomUUID } from 'node:crypto';
import { AppError } from '@herald/core';
import { SignJWT, importJWK } from 'jose';
import { assertClientId } from './client-id';
import type { PrivateSigningJwk } from './jwk-shape';
import { isScope } from './scopes';
import type { Scope } from './scopes';
import { assertTtlInRange } from './ttl';

/** What to put in a client token. */
export interface IssueTokenInput {
  privateJwk: PrivateSigningJwk;
  clientId: string;
  scopes: readonly Scope[];
  ttlSeconds: number;
  issuer: string;
  audience: string;
  /** Defaults to the current time; tests pin it. */
  now?: Date;
}

/** A signed token and the facts an operator needs to revoke it. */
export interface IssuedToken {
  token: string;
  jti: string;
  /** Expiry as a JWT NumericDate: seconds since the epoch. */
  expiresAt: number;
}

/**
 * Signs an ES256 client JWT (header `{ alg: 'ES256', kid, typ: 'JWT' }`) with claims `iss`,
 * `aud`, `sub` = client id, `scope` (space-separated, RFC 8693), `iat`, `nbf`, `exp` and a random
 * `jti`. Throws AppError `VALIDATION_FAILED` for a bad client id, no or unknown scopes, or a ttl
 * outside 1 minute..400 days.
 */
export async function issueToken(input: IssueTokenInput): Promise<IssuedToken> {
  assertClientId(input.clientId);
  assertTtlInRange(input.ttlSeconds);
  if (input.scopes.length === 0 || !input.scopes.every(isScope)) {
    throw new AppError('VALIDATION_FAILED', 'a token needs at least one known scope');
  }
  const key = await importJWK(input.privateJwk, 'ES256');
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + input.ttlSeconds;
  const jti = randomUUID();
  const token = await new SignJWT({ scope: [...new Set(input.scopes)].join(' ') })
    .setProtectedHeader({ alg: 'ES256', kid: input.privateJwk.kid, typ: 'JWT' })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setSubject(input.clientId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(jti)
    .sign(key);
  return { token, jti, expiresAt };
}
