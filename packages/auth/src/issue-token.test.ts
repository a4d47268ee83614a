import { decodeJwt, decodeProtectedHeader } from 'jose';
import { issueToken } from './issue-token';
import { generateSigningKey } from './signing-keys';
import type { SigningKey } from './signing-keys';

const NOW = new Date('2026-01-01T00:00:00.000Z');
let key: SigningKey;

beforeAll(async () => {
  key = await generateSigningKey();
});

function issue(over: Partial<Parameters<typeof issueToken>[0]> = {}) {
  return issueToken({
    privateJwk: key.privateJwk,
    clientId: 'svc:billing-1',
    scopes: ['notifications:send', 'notifications:read'],
    ttlSeconds: 3600,
    issuer: 'herald',
    audience: 'herald-api',
    now: NOW,
    ...over,
  });
}

describe('issueToken', () => {
  it('signs an ES256 JWT with the key id and the standard claims', async () => {
    const issued = await issue();

    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'ES256', kid: key.kid, typ: 'JWT' });
    const iat = NOW.getTime() / 1000;
    expect(decodeJwt(issued.token)).toEqual({
      iss: 'herald',
      aud: 'herald-api',
      sub: 'svc:billing-1',
      scope: 'notifications:send notifications:read',
      iat,
      nbf: iat,
      exp: iat + 3600,
      jti: issued.jti,
    });
    expect(issued.expiresAt).toBe(iat + 3600);
  });

  it('gives every token its own jti', async () => {
    const [a, b] = await Promise.all([issue(), issue()]);

    expect(a.jti).not.toBe(b.jti);
  });

  it.each(['', 'has space', 'a/b', 'x'.repeat(129)])('rejects client id %p', async (clientId) => {
    await expect(issue({ clientId })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('rejects a token without scopes', async () => {
    await expect(issue({ scopes: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('rejects a ttl beyond 400 days', async () => {
    await expect(issue({ ttlSeconds: 401 * 86_400 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
