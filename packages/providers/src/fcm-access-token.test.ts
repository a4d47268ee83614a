import { ProviderError } from '@herald/core';
import { FixedClock } from '@herald/core/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createFcmAccessTokens, FCM_SCOPE } from './fcm-access-token';
import { generateFcmServiceAccount } from './testing-fcm';

const TOKEN_URI = 'http://127.0.0.1:9/token';

/** The token endpoint's answers, in order; records what was POSTed. */
function tokenEndpoint(answers: (() => Response | Promise<Response>)[]) {
  const grants: URLSearchParams[] = [];
  let calls = 0;
  const fetch = (async (_url: string, init: RequestInit) => {
    grants.push(new URLSearchParams(init.body as URLSearchParams));
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    if (answer === undefined) throw new Error('no answer');
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, grants, calls: () => calls };
}

const issued =
  (token: string, expiresIn = 3_600) =>
  () =>
    Response.json({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' });

async function setup(answers: (() => Response | Promise<Response>)[]) {
  const { account } = await generateFcmServiceAccount(TOKEN_URI);
  const clock = new FixedClock();
  const endpoint = tokenEndpoint(answers);
  const tokens = createFcmAccessTokens({ account, provider: 'fcm', fetch: endpoint.fetch, clock });
  return { account, clock, endpoint, tokens };
}

describe('FCM access tokens', () => {
  it('signs an RS256 JWT-bearer grant for the service account and the messaging scope', async () => {
    const { account, clock, endpoint, tokens } = await setup([issued('t1')]);

    await expect(tokens.get()).resolves.toBe('t1');

    const grant = endpoint.grants[0];
    expect(grant?.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const assertion = grant?.get('assertion') ?? '';
    expect(decodeProtectedHeader(assertion)).toMatchObject({
      alg: 'RS256',
      typ: 'JWT',
      kid: account.private_key_id,
    });
    const iat = Math.floor(clock.now().getTime() / 1_000);
    expect(decodeJwt(assertion)).toEqual({
      iss: account.client_email,
      aud: TOKEN_URI,
      scope: FCM_SCOPE,
      iat,
      exp: iat + 3_600,
    });
  });

  it('reuses the token until five minutes before it expires, then fetches a new one', async () => {
    const { clock, endpoint, tokens } = await setup([issued('t1'), issued('t2')]);

    await tokens.get();
    clock.advance(3_600_000 - 300_001);
    await expect(tokens.get()).resolves.toBe('t1');
    clock.advance(1);
    await expect(tokens.get()).resolves.toBe('t2');
    expect(endpoint.calls()).toBe(2);
  });

  it('refreshes a short-lived token at half its life', async () => {
    const { clock, tokens } = await setup([issued('t1', 60), issued('t2', 60)]);

    await tokens.get();
    clock.advance(29_999);
    await expect(tokens.get()).resolves.toBe('t1');
    clock.advance(1);
    await expect(tokens.get()).resolves.toBe('t2');
  });

  it('shares one refresh among concurrent callers', async () => {
    const slow = () =>
      new Promise<Response>((resolve) => setTimeout(() => resolve(issued('t1')()), 50));
    const { endpoint, tokens } = await setup([slow]);

    const all = Promise.all([tokens.get(), tokens.get(), tokens.get()]);

    await expect(all).resolves.toEqual(['t1', 't1', 't1']);
    expect(endpoint.calls()).toBe(1);
  });

  it('drops an invalidated token, but not a newer one', async () => {
    const { endpoint, tokens } = await setup([issued('t1'), issued('t2')]);

    const first = await tokens.get();
    tokens.invalidate(first);
    await expect(tokens.get()).resolves.toBe('t2');
    tokens.invalidate(first);
    await expect(tokens.get()).resolves.toBe('t2');
    expect(endpoint.calls()).toBe(2);
  });

  it.each([
    [
      'a refused grant',
      () => Response.json({ error: 'invalid_grant' }, { status: 400 }),
      'provider_auth_failed',
      'invalid_grant',
    ],
    ['a 5xx', () => new Response('oops', { status: 503 }), 'provider_unavailable', undefined],
    ['a 200 without a token', () => Response.json({}), 'provider_unavailable', undefined],
    [
      'no answer',
      () => Promise.reject(new Error('ECONNREFUSED')),
      'provider_unavailable',
      undefined,
    ],
  ])(
    'turns %s into a retryable %s, and tries again on the next call',
    async (_, answer, reasonCode, providerCode) => {
      const { tokens } = await setup([answer, issued('t1')]);

      const err = await tokens.get().catch((e: unknown) => e);

      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ retryable: true, reasonCode, providerCode });
      await expect(tokens.get()).resolves.toBe('t1');
    },
  );
});
