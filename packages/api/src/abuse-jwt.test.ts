import { createHmac, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { createTokenVerifier, generateSigningKey, issueToken, type SigningKey } from '@herald/auth';
import {
  anEmailRequest,
  anSmsRequest,
  type InMemoryNotificationStore,
  type InMemoryQueue,
} from '@herald/core/testing';
import { startTestApp, type TestApp } from './testing';

/** The api with the real ES256 verifier from @herald/auth: forged tokens and client isolation. */

const ISSUER = 'herald';
const AUDIENCE = 'herald-api';
const BOTH = ['notifications:send', 'notifications:read'] as const;

let active: SigningKey;
let older: SigningKey;
let stranger: SigningKey;
let revoked: Set<string>;
let store: InMemoryNotificationStore;
let queue: InMemoryQueue;
let app: TestApp;
let base: string;

beforeAll(async () => {
  [active, older, stranger] = await Promise.all([
    generateSigningKey(),
    generateSigningKey(),
    generateSigningKey(),
  ]);
});

beforeEach(async () => {
  revoked = new Set();
  app = await startTestApp({
    verifier: createTokenVerifier({
      jwks: { keys: [active.publicJwk, older.publicJwk] },
      issuer: ISSUER,
      audience: AUDIENCE,
      isRevoked: (jti) => revoked.has(jti),
    }),
  });
  ({ base, store, queue } = app);
});

afterEach(async () => {
  await app.close();
});

function aToken(over: Partial<Parameters<typeof issueToken>[0]> = {}) {
  return issueToken({
    privateJwk: active.privateJwk,
    clientId: 'client-a',
    scopes: [...BOTH],
    ttlSeconds: 3600,
    issuer: ISSUER,
    audience: AUDIENCE,
    ...over,
  });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

function post(
  token: string,
  body: unknown = anEmailRequest(),
  headers: Record<string, string> = {},
) {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

function get(token: string, path: string) {
  return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

/** A validly ES256-signed token with the given claims, bypassing issueToken's own checks. */
async function signClaims(claims: Record<string, unknown>): Promise<string> {
  const { token } = await aToken();
  const [header, payload] = token.split('.');
  const input = `${header}.${b64({ ...decode(payload!), ...claims })}`;
  const key = createPrivateKey({ key: { ...active.privateJwk }, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(typeof body.error.message).toBe('string');
  return body.error.code;
}

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
        const header = b64({ alg: 'HS256', kid: active.kid, typ: 'JWT' });
        const pem = createPublicKey({ key: { ...active.publicJwk }, format: 'jwk' }).export({
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
        const header = b64({ alg: 'HS256', kid: active.kid, typ: 'JWT' });
        const signature = createHmac('sha256', JSON.stringify(active.publicJwk))
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
      async () => (await aToken({ privateJwk: stranger.privateJwk })).token,
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
        revoked.add(issued.jti);
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
      expect(store.records.size).toBe(0);
      expect(queue.sent).toEqual([]);
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
    expect(store.records.size).toBe(0);
  });

  it('accepts a token signed the same way with a well-formed sub (the forgery helper is sound)', async () => {
    const res = await post(await signClaims({ sub: 'client-b' }));

    expect(res.status).toBe(202);
  });

  it('rejects a token once it is revoked, even after it was accepted and cached', async () => {
    const issued = await aToken();
    const before = await post(issued.token);

    revoked.add(issued.jti);
    const after = await get(issued.token, '/v1/notifications');

    expect(before.status).toBe(202);
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe('UNAUTHENTICATED');
  });

  it('accepts tokens from both keys of the JWKS during a key rotation', async () => {
    const fromActive = await aToken();
    const fromOlder = await aToken({ privateJwk: older.privateJwk });

    const results = [await post(fromActive.token), await post(fromOlder.token)];

    expect(results.map((r) => r.status)).toEqual([202, 202]);
    expect(store.records.size).toBe(2);
  });

  it('answers 403 FORBIDDEN to a valid token without the send scope and stores nothing', async () => {
    const readOnly = await aToken({ scopes: ['notifications:read'] });

    const res = await post(readOnly.token);

    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('FORBIDDEN');
    expect(store.records.size).toBe(0);
  });
});

describe('client isolation with real tokens', () => {
  let tokenA: string;
  let tokenB: string;

  beforeEach(async () => {
    tokenA = (await aToken({ clientId: 'client-a' })).token;
    tokenB = (await aToken({ clientId: 'client-b', privateJwk: older.privateJwk })).token;
  });

  async function idOf(res: Response): Promise<string> {
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  async function listIds(token: string, query = ''): Promise<string[]> {
    const res = await get(token, `/v1/notifications${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
  }

  it("answers 404 to B for A's notification, exactly as for a missing one", async () => {
    const idA = await idOf(await post(tokenA));

    const asB = await get(tokenB, `/v1/notifications/${idA}`);
    const missing = await get(tokenB, '/v1/notifications/ntf_0000000000000000000000000z');

    expect(asB.status).toBe(404);
    expect(await asB.json()).toEqual(await missing.json());
  });

  it("never lists A's notifications to B", async () => {
    const idsA = [await idOf(await post(tokenA)), await idOf(await post(tokenA))];
    const idB = await idOf(await post(tokenB, anSmsRequest()));

    const seenByB = await listIds(tokenB, '?limit=100');

    expect(seenByB).toEqual([idB]);
    expect(seenByB.some((id) => idsA.includes(id))).toBe(false);
  });

  it("gives B its own notification when B reuses A's Idempotency-Key", async () => {
    const idA = await idOf(await post(tokenA, anEmailRequest(), { 'idempotency-key': 'order-7' }));

    const asB = await post(tokenB, anEmailRequest(), { 'idempotency-key': 'order-7' });
    const idB = await idOf(asB);

    expect(idB).not.toBe(idA);
    expect(asB.headers.get('idempotent-replayed')).toBeNull();
    expect(store.records.get(idA)?.clientId).toBe('client-a');
    expect(store.records.get(idB)?.clientId).toBe('client-b');
  });

  it("keeps B on its own list when B pages with a cursor taken from A's list", async () => {
    for (let i = 0; i < 3; i++) await idOf(await post(tokenA));
    const idB = await idOf(await post(tokenB, anSmsRequest()));
    const pageA = (await (await get(tokenA, '/v1/notifications?limit=1')).json()) as {
      nextCursor: string;
    };

    const seenByB = await listIds(tokenB, `?limit=100&cursor=${pageA.nextCursor}`);

    expect(pageA.nextCursor).toBeDefined();
    expect(seenByB.every((id) => id === idB)).toBe(true);
  });
});
