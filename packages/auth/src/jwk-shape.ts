import { AppError } from '@herald/core';

/** An ES256 (EC P-256) public key as Herald stores and trusts it. */
export interface PublicSigningJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** The active signing key: the public part plus the private scalar `d`. Never leaves the CLI. */
export interface PrivateSigningJwk extends PublicSigningJwk {
  d: string;
}

/** A JSON Web Key Set of trusted public keys, newest first. */
export interface Jwks {
  keys: PublicSigningJwk[];
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Checks that `value` is an EC P-256 public signing key with a `kid`. Throws AppError
 * `CONFIG_INVALID` for anything else, and in particular for a key holding a private part (`d`)
 * or a symmetric (`oct`) key: either in a JWKS would be a leak or an algorithm-confusion hole.
 * `where` names the key in the message; the message never contains key material.
 */
export function parsePublicJwk(value: unknown, where: string): PublicSigningJwk {
  const jwk = asRecord(value, where);
  if ('d' in jwk) {
    throw invalid(`${where} contains a private key part ("d"); a JWKS must hold public keys only`);
  }
  return checkEcFields(jwk, where);
}

/**
 * Checks that `value` is an EC P-256 private signing key with a `kid`. Throws AppError
 * `CONFIG_INVALID` otherwise.
 */
export function parsePrivateJwk(value: unknown, where: string): PrivateSigningJwk {
  const jwk = asRecord(value, where);
  if (typeof jwk.d !== 'string' || !B64URL.test(jwk.d)) {
    throw invalid(`${where} is not a private key (no "d")`);
  }
  return { ...checkEcFields(jwk, where), d: jwk.d };
}

/**
 * Checks a `{ keys: [...] }` set of public keys, rejecting duplicate `kid`s (a verifier could not
 * tell them apart). Throws AppError `CONFIG_INVALID`.
 */
export function parseJwks(value: unknown, where: string): Jwks {
  const set = asRecord(value, where);
  if (!Array.isArray(set.keys)) throw invalid(`${where} has no "keys" array`);
  const keys = set.keys.map((k: unknown, i) => parsePublicJwk(k, `${where} key ${i}`));
  const kids = new Set(keys.map((k) => k.kid));
  if (kids.size !== keys.length) throw invalid(`${where} lists the same kid more than once`);
  return { keys };
}

/** The public half of a private signing key. */
export function toPublicJwk(jwk: PrivateSigningJwk): PublicSigningJwk {
  const { kty, crv, x, y, kid, alg, use } = jwk;
  return { kty, crv, x, y, kid, alg, use };
}

function checkEcFields(jwk: Record<string, unknown>, where: string): PublicSigningJwk {
  if (jwk.kty === 'oct') throw invalid(`${where} is a symmetric key; only EC P-256 is accepted`);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw invalid(`${where} is not an EC P-256 key`);
  if (jwk.alg !== undefined && jwk.alg !== 'ES256')
    throw invalid(`${where} has alg other than ES256`);
  if (jwk.use !== undefined && jwk.use !== 'sig') throw invalid(`${where} is not a signing key`);
  const { x, y, kid } = jwk;
  if (typeof x !== 'string' || !B64URL.test(x) || typeof y !== 'string' || !B64URL.test(y)) {
    throw invalid(`${where} has malformed coordinates`);
  }
  if (typeof kid !== 'string' || kid === '') throw invalid(`${where} has no "kid"`);
  return { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' };
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${where} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function invalid(message: string): AppError {
  return new AppError('CONFIG_INVALID', message);
}
