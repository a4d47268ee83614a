import { AppError } from '@herald/core';
import { FixedClock } from '@herald/core/testing';
import { SignJWT, base64url, exportSPKI, importJWK } from 'jose';
import { issueToken } from './issue-token';
import { generateSigningKey } from './signing-keys';
import type { SigningKey } from './signing-keys';
import { createTokenVerifier } from './token-verifier';

const ISSUER = 'herald';
const AUDIENCE = 'herald-api';
const T0 = new Date('2026-01-01T00:00:00.000Z');

let active: SigningKey;
let older: SigningKey;
let stranger: SigningKey;

beforeAll(async () => {
  [active, older, stranger] = await Promise.all([
    generateSigningKey(),
    generateSigningKey(),
    generateSigningKey(),
  ]);
});

function aVerifier(over: { revoked?: Set<string>; clock?: FixedClock } = {}) {
  const revoked = over.revoked ?? new Set<string>();
  return createTokenVerifier({
    jwks: { keys: [active.publicJwk, older.publicJwk] },
    issuer: ISSUER,
    audience: AUDIENCE,
    isRevoked: (jti) => revoked.has(jti),
    clock: over.clock ?? new FixedClock(T0),
  });
}

function aToken(over: Partial<Parameters<typeof issueToken>[0]> = {}) {
  return issueToken({
    privateJwk: active.privateJwk,
    clientId: 'billing-service',
    scopes: ['notifications:send', 'notifications:read'],
    ttlSeconds: 3600,
    issuer: ISSUER,
    audience: AUDIENCE,
    now: T0,
    ...over,
  });
}

function unauthenticated(message: string) {
  return { code: 'UNAUTHENTICATED', message };
}

describe('createTokenVerifier', () => {
  it('resolves the client of a good token', async () => {
    const issued = await aToken();

    const client = await aVerifier().verify(issued.token);

    expect(client).toEqual({
      clientId: 'billing-service',
      scopes: ['notifications:send', 'notifications:read'],
      jti: issued.jti,
      expiresAt: issued.expiresAt,
    });
  });

  it('accepts tokens from every key in the set, so rotation keeps old tokens valid', async () => {
    const fromOlder = await aToken({ privateJwk: older.privateJwk, clientId: 'old' });
    const fromActive = await aToken({ clientId: 'new' });
    const verifier = aVerifier();

    await expect(verifier.verify(fromOlder.token)).resolves.toMatchObject({ clientId: 'old' });
    await expect(verifier.verify(fromActive.token)).resolves.toMatchObject({ clientId: 'new' });
  });

  it('ignores unknown scope strings in the token', async () => {
    const key = await importJWK(active.privateJwk, 'ES256');
    const token = await new SignJWT({ scope: 'notifications:read admin:everything' })
      .setProtectedHeader({ alg: 'ES256', kid: active.kid, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('c')
      .setJti('j1')
      .setIssuedAt(T0)
      .setExpirationTime(new Date(T0.getTime() + 60_000))
      .sign(key);

    const client = await aVerifier().verify(token);

    expect(client.scopes).toEqual(['notifications:read']);
  });

  it('rejects an unsigned alg none token', async () => {
    const { token } = await aToken();
    const [, payload = ''] = token.split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));

    await expect(aVerifier().verify(`${header}.${payload}.`)).rejects.toMatchObject(
      unauthenticated('token is invalid'),
    );
  });

  it('rejects an HS256 token keyed with the public key bytes (algorithm confusion)', async () => {
    const publicKey = await importJWK(active.publicJwk, 'ES256');
    const secret = new TextEncoder().encode(await exportSPKI(publicKey));
    const token = await new SignJWT({ scope: 'notifications:send' })
      .setProtectedHeader({ alg: 'HS256', kid: active.kid, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('attacker')
      .setJti('j2')
      .setIssuedAt(T0)
      .setExpirationTime(new Date(T0.getTime() + 60_000))
      .sign(secret);

    await expect(aVerifier().verify(token)).rejects.toMatchObject(
      unauthenticated('token is invalid'),
    );
  });

  it('rejects a token from another issuer', async () => {
    const { token } = await aToken({ issuer: 'someone-else' });

    await expect(aVerifier().verify(token)).rejects.toMatchObject(
      unauthenticated('token is not meant for this service'),
    );
  });

  it('rejects a token for another audience', async () => {
    const { token } = await aToken({ audience: 'other-api' });

    await expect(aVerifier().verify(token)).rejects.toMatchObject(
      unauthenticated('token is not meant for this service'),
    );
  });

  it('rejects an expired token', async () => {
    const { token } = await aToken({ now: new Date(T0.getTime() - 2 * 3600_000), ttlSeconds: 60 });

    await expect(aVerifier().verify(token)).rejects.toMatchObject(unauthenticated('token expired'));
  });

  it('rejects a token whose nbf is further ahead than the clock tolerance', async () => {
    const { token } = await aToken({ now: new Date(T0.getTime() + 5 * 60_000) });

    await expect(aVerifier().verify(token)).rejects.toMatchObject(
      unauthenticated('token is not yet valid'),
    );
  });

  it('accepts a token whose nbf is within the clock tolerance', async () => {
    const { token } = await aToken({ now: new Date(T0.getTime() + 10_000) });

    await expect(aVerifier().verify(token)).resolves.toMatchObject({ clientId: 'billing-service' });
  });

  it('rejects a token signed by a key the set does not hold', async () => {
    const { token } = await aToken({ privateJwk: stranger.privateJwk });

    await expect(aVerifier().verify(token)).rejects.toMatchObject(
      unauthenticated('token signing key is not trusted'),
    );
  });

  it('rejects a token whose payload was tampered with', async () => {
    const { token } = await aToken();
    const [header, payload = '', signature] = token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as object;
    const forged = base64url.encode(JSON.stringify({ ...claims, sub: 'someone-else' }));

    await expect(aVerifier().verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject(
      unauthenticated('token is invalid'),
    );
  });

  it('rejects a token without typ JWT', async () => {
    const key = await importJWK(active.privateJwk, 'ES256');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: active.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('c')
      .setJti('j3')
      .setIssuedAt(T0)
      .setExpirationTime(new Date(T0.getTime() + 60_000))
      .sign(key);

    await expect(aVerifier().verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('rejects garbage', async () => {
    await expect(aVerifier().verify('not-a-token')).rejects.toMatchObject(
      unauthenticated('token is invalid'),
    );
  });

  it('rejects a revoked token', async () => {
    const issued = await aToken();
    const verifier = aVerifier({ revoked: new Set([issued.jti]) });

    await expect(verifier.verify(issued.token)).rejects.toMatchObject(
      unauthenticated('token revoked'),
    );
  });

  it('rejects a token revoked after its verification was cached', async () => {
    const issued = await aToken();
    const revoked = new Set<string>();
    const verifier = aVerifier({ revoked });
    await verifier.verify(issued.token);

    revoked.add(issued.jti);

    await expect(verifier.verify(issued.token)).rejects.toMatchObject(
      unauthenticated('token revoked'),
    );
  });

  it('stops serving a cached token once it expires', async () => {
    const clock = new FixedClock(T0);
    const { token } = await aToken({ ttlSeconds: 60 });
    const verifier = aVerifier({ clock });
    await verifier.verify(token);

    clock.advance(60_000 + 31_000);

    await expect(verifier.verify(token)).rejects.toMatchObject(unauthenticated('token expired'));
  });

  it('refuses to build without keys', () => {
    const build = () =>
      createTokenVerifier({
        jwks: { keys: [] },
        issuer: 'i',
        audience: 'a',
        isRevoked: () => false,
      });

    expect(build).toThrow(AppError);
    expect(build).toThrow('the verifier JWKS has no keys');
  });

  it('refuses a key set that holds a private key', () => {
    const build = () =>
      createTokenVerifier({
        jwks: { keys: [active.privateJwk] },
        issuer: 'i',
        audience: 'a',
        isRevoked: () => false,
      });

    expect(build).toThrow(AppError);
    expect(build).toThrow('private key part');
  });
});
