/**
 * Test support for the JWT abuse suites (`abuse-jwt-*.test.ts`): the api behind the real ES256
 * verifier from @herald/auth, with two keys in its JWKS, one outside it, and a revocation list.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { createTokenVerifier, generateSigningKey, issueToken, type SigningKey } from '@herald/auth';
import {
  anEmailRequest,
  type InMemoryNotificationStore,
  type InMemoryQueue,
} from '@herald/core/testing';
import { startTestApp, type TestApp } from './testing';

const ISSUER = 'herald';
const AUDIENCE = 'herald-api';
/** Both client scopes, as issued by default. */
export const BOTH = ['notifications:send', 'notifications:read'] as const;

/** Base64url of the JSON of `value`: a JWT header or payload. */
export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** The JSON object in a base64url JWT part. */
export const decode = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The keys, fakes and helpers of the current test; fresh app for every test. */
export interface JwtApp {
  /** Signs `aToken`'s tokens; in the JWKS. */
  readonly active: SigningKey;
  /** The previous key, still in the JWKS (a rotation). */
  readonly older: SigningKey;
  /** A key outside the JWKS. */
  readonly stranger: SigningKey;
  /** jtis the verifier treats as revoked; emptied before every test. */
  readonly revoked: Set<string>;
  readonly store: InMemoryNotificationStore;
  readonly queue: InMemoryQueue;
  /** A valid token for client-a with both scopes, for an hour, unless `over` says otherwise. */
  aToken(over?: Partial<Parameters<typeof issueToken>[0]>): ReturnType<typeof issueToken>;
  /** A validly ES256-signed token with the given claims, bypassing issueToken's own checks. */
  signClaims(claims: Record<string, unknown>): Promise<string>;
  /** POSTs `body` (an email request by default) to /v1/notifications with `token`. */
  post(token: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GETs `path` with `token`. */
  get(token: string, path: string): Promise<Response>;
}

/** Error code of a rejection, checking that it carries a message too. */
export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(typeof body.error.message).toBe('string');
  return body.error.code;
}

/** Registers hooks that make the keys once and serve a fresh app for every test of the file. */
export function useJwtApp(): JwtApp {
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
    const input = `${header}.${b64({ ...decode(payload as string), ...claims })}`;
    const key = createPrivateKey({ key: { ...active.privateJwk }, format: 'jwk' });
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }

  return {
    get active() {
      return active;
    },
    get older() {
      return older;
    },
    get stranger() {
      return stranger;
    },
    get revoked() {
      return revoked;
    },
    get store() {
      return store;
    },
    get queue() {
      return queue;
    },
    aToken,
    signClaims,
    post,
    get,
  };
}
