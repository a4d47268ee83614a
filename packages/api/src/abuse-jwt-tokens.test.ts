/** The api with the real ES256 verifier from @herald/auth: forged and malformed tokens. */
import { createHmac, createPublicKey } from 'node:crypto';
import { b64, BOTH, decode, errorCode, useJwtApp } from './testing-jwt';

const jwt = useJwtApp();
const { aToken, signClaims, post, get } = jwt;

describe('the api with the real token verifier', () => {
  const forgeries: [string, () => Promise<string>][] = [
    [
      'an alg: none token with an empty signature',
      async () => {
        const [, payload] = (await aToken()).token.split('.');
        return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      },
    ],
    [
      'an alg: none token with a junk signature',
      async () => {
        const [, payload] = (await aToken()).token.split('.');
        return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.AAAA`;
      },
    ],
    [
      'an HS256 token signed with the public key bytes (algorithm confusion)',
      async () => {
        const [, payload] = (await aToken()).token.split('.');
        const header = b64({ alg: 'HS256', kid: jwt.active.kid, typ: 'JWT' });
        const pem = createPublicKey({ key: { ...jwt.active.publicJwk }, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        });
        const signature = createHmac('sha256', pem)
          .update(`${header}.${payload}`)
          .digest('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      'an HS256 token signed with the public JWK JSON',
      async () => {
        const [, payload] = (await aToken()).token.split('.');
        const header = b64({ alg: 'HS256', kid: jwt.active.kid, typ: 'JWT' });
        const signature = createHmac('sha256', JSON.stringify(jwt.active.publicJwk))
          .update(`${header}.${payload}`)
          .digest('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['a token for another issuer', async () => (await aToken({ issuer: 'evil' })).token],
    ['a token for another audience', async () => (await aToken({ audience: 'other' })).token],
    [
      'an expired token',
      async () =>
        (await aToken({ now: new Date(Date.now() - 2 * 3600_000), ttlSeconds: 3600 })).token,
    ],
    [
      'a token not valid until 10 minutes from now',
      async () => (await aToken({ now: new Date(Date.now() + 600_000) })).token,
    ],
    [
      'a token from a key outside the JWKS (unknown kid)',
      async () => (await aToken({ privateJwk: jwt.stranger.privateJwk })).token,
    ],
    [
      'a token whose scope was widened after signing',
      async () => {
        const [header, payload, signature] = (
          await aToken({ scopes: ['notifications:read'] })
        ).token.split('.');
        const claims = { ...decode(payload!), scope: BOTH.join(' ') };
        return `${header}.${b64(claims)}.${signature}`;
      },
    ],
    [
      'a token whose subject was changed after signing',
      async () => {
        const [header, payload, signature] = (await aToken()).token.split('.');
        return `${header}.${b64({ ...decode(payload!), sub: 'client-b' })}.${signature}`;
      },
    ],
    [
      'a revoked token',
      async () => {
        const issued = await aToken();
        jwt.revoked.add(issued.jti);
        return issued.token;
      },
    ],
  ];

  it.each(forgeries)(
    'answers %s with 401 UNAUTHENTICATED and stores nothing',
    async (_n, forge) => {
      const token = await forge();

      const res = await post(token);

      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('UNAUTHENTICATED');
      expect(jwt.store.records.size).toBe(0);
      expect(jwt.queue.sent).toEqual([]);
    },
  );

  it.each([
    ['an empty sub', ''],
    ['a sub with a NUL', 'client\u0000a'],
    ['a sub with a #', 'client#a'],
    ['a sub with a newline', 'client-a\nclient-b'],
    ['a sub of 129 characters', 'c'.repeat(129)],
  ])('answers a validly signed token with %s with 401 and stores nothing', async (_n, sub) => {
    const token = await signClaims({ sub });

    const res = await post(token);

    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('UNAUTHENTICATED');
    expect(jwt.store.records.size).toBe(0);
  });

  it('accepts a token signed the same way with a well-formed sub (the forgery helper is sound)', async () => {
    const res = await post(await signClaims({ sub: 'client-b' }));

    expect(res.status).toBe(202);
  });

  it('rejects a token once it is revoked, even after it was accepted and cached', async () => {
    const issued = await aToken();
    const before = await post(issued.token);

    jwt.revoked.add(issued.jti);
    const after = await get(issued.token, '/v1/notifications');

    expect(before.status).toBe(202);
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe('UNAUTHENTICATED');
  });

  it('accepts tokens from both keys of the JWKS during a key rotation', async () => {
    const fromActive = await aToken();
    const fromOlder = await aToken({ privateJwk: jwt.older.privateJwk });

    const results = [await post(fromActive.token), await post(fromOlder.token)];

    expect(results.map((r) => r.status)).toEqual([202, 202]);
    expect(jwt.store.records.size).toBe(2);
  });

  it('answers 403 FORBIDDEN to a valid token without the send scope and stores nothing', async () => {
    const readOnly = await aToken({ scopes: ['notifications:read'] });

    const res = await post(readOnly.token);

    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('FORBIDDEN');
    expect(jwt.store.records.size).toBe(0);
  });
});
