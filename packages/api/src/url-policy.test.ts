import { AppError, notificationRequestSchema } from '@herald/core';
import { createUrlPolicy } from './url-policy';
import { fixedTokens, startTestApp, type TestApp } from './testing';

/** A URL checker whose every check waits until `release` (a name server that is slow). */
function stalledChecker() {
  const waiting: (() => void)[] = [];
  return {
    checker: {
      check: () => new Promise<void>((resolve) => waiting.push(resolve)),
    },
    get waiting() {
      return waiting.length;
    },
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: ['notifications:send'] },
  'b.b.b': { clientId: 'client-b', scopes: ['notifications:send'] },
});

const withCallback = {
  channel: 'email',
  to: 'user@example.com',
  subject: 'Hi',
  text: 'Hello',
  callbackUrl: 'https://slow-dns.example/cb',
};

describe('URL checks per client (slow DNS)', () => {
  let app: TestApp;
  let dns: ReturnType<typeof stalledChecker>;

  beforeEach(async () => {
    dns = stalledChecker();
    app = await startTestApp({
      verifier,
      checkUrls: createUrlPolicy(dns.checker, { allowHttpLinks: false, maxChecksPerClient: 8 }),
    });
  });

  afterEach(async () => {
    dns.release();
    await app.close();
  });

  const post = (token: string) =>
    fetch(`${app.base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(withCallback),
    });

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setImmediate(resolve));
  }

  it('answers 429 with Retry-After beyond 8 checks in flight for one client, storing nothing', async () => {
    const held = Array.from({ length: 8 }, () => post('a.a.a'));
    await until(() => dns.waiting === 8);

    const ninth = await post('a.a.a');

    expect(ninth.status).toBe(429);
    expect(ninth.headers.get('retry-after')).toBe('1');
    expect(await ninth.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(dns.waiting).toBe(8);
    dns.release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual(new Array(8).fill(202));
    expect(app.store.records.size).toBe(8);
  });

  it('leaves other clients alone and frees the slots as checks end', async () => {
    const held = Array.from({ length: 8 }, () => post('a.a.a'));
    await until(() => dns.waiting === 8);

    const other = post('b.b.b');
    await until(() => dns.waiting === 9);
    dns.release();
    await Promise.all(held);
    const again = post('a.a.a');
    await until(() => dns.waiting === 1);
    dns.release();

    expect((await other).status).toBe(202);
    expect((await again).status).toBe(202);
  });

  it('counts a check that failed as ended', async () => {
    let calls = 0;
    const failing = {
      check: () => {
        calls += 1;
        return Promise.reject(new AppError('VALIDATION_FAILED', 'callbackUrl is not allowed'));
      },
    };
    const policy = createUrlPolicy(failing, { allowHttpLinks: false, maxChecksPerClient: 1 });
    const request = notificationRequestSchema.parse(withCallback);

    for (let i = 0; i < 3; i += 1) {
      await expect(policy(request, 'client-a')).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
    expect(calls).toBe(3);
  });
});
