import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { parsePrivateJwk, toPublicJwk } from './jwk-shape';
import type { PrivateSigningJwk, PublicSigningJwk } from './jwk-shape';

/** A freshly generated ES256 key pair, both halves as JWKs carrying the same `kid`. */
export interface SigningKey {
  kid: string;
  privateJwk: PrivateSigningJwk;
  publicJwk: PublicSigningJwk;
}

/**
 * Generates an ES256 (EC P-256) signing key. The `kid` is the RFC 7638 JWK thumbprint, so the
 * same key always gets the same id and two keys never collide by accident.
 */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const exported = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(
    { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y },
    'sha256',
  );
  const privateJwk = parsePrivateJwk(
    { ...exported, kid, alg: 'ES256', use: 'sig' },
    'generated key',
  );
  return { kid, privateJwk, publicJwk: toPublicJwk(privateJwk) };
}
