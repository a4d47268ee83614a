import { anEmailRequest, FixedClock, type InMemoryNotificationStore } from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from '../testing';
import { clientRateLimit, type ClientRateLimitOptions } from './rate-limit';

const SCOPES = ['notifications:send', 'notifications:read'];
const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: SCOPES },
  'b.b.b': { clientId: 'client-b', scopes: SCOPES },
});

describe('clientRateLimit', () => {
  let app: TestApp | undefined;
  let base: string;
  let store: InMemoryNotificationStore;
  let clock: FixedClock;

  async function start(limit: Partial<ClientRateLimitOptions> = {}) {
    clock = new FixedClock();
    app = await startTestApp({
      verifier,
      clock,
      clientRateLimit: clientRateLimit({ ratePerSecond: 1, burst: 3, clock, ...limit }),
    });
    ({ base, store } = app);
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  function post(token = 'a.a.a') {
    return fetch(`${base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(anEmailRequest()),
    });
  }

  async function statuses(n: number, token = 'a.a.a'): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await post(token)).status);
    return out;
  }

  it('allows a burst, then answers 429 with Retry-After and the shared error shape', async () => {
    await start();

    const burst = await statuses(3);
    const res = await post();

    expect(burst).toEqual([202, 202, 202]);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: 'Too many requests; retry later',
        details: { retryAfterSeconds: 1 },
      },
    });
    expect(store.records.size).toBe(3);
  });

  it('rounds Retry-After up to whole seconds', async () => {
    await start({ ratePerSecond: 0.4, burst: 1 });
    await post();

    const res = await post();

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('refills tokens as time passes', async () => {
    await start();
    await statuses(3);

    clock.advance(1_000);
    const afterOneSecond = await statuses(2);
    clock.advance(60_000);
    const afterIdle = await statuses(4);

    expect(afterOneSecond).toEqual([202, 429]);
    expect(afterIdle).toEqual([202, 202, 202, 429]);
  });

  it('keeps a bucket per client', async () => {
    await start();
    await statuses(4, 'a.a.a');

    const b = await statuses(3, 'b.b.b');

    expect(b).toEqual([202, 202, 202]);
    expect((await post('a.a.a')).status).toBe(429);
  });

  it('does not limit reads', async () => {
    await start();
    await statuses(4);
    const id = [...store.records.keys()][0] ?? '';

    const list = await fetch(`${base}/v1/notifications`, {
      headers: { authorization: 'Bearer a.a.a' },
    });
    const one = await fetch(`${base}/v1/notifications/${id}`, {
      headers: { authorization: 'Bearer a.a.a' },
    });

    expect(list.status).toBe(200);
    expect(one.status).toBe(200);
  });

  it('forgets the least recently seen client past maxClients', async () => {
    await start({ maxClients: 1 });
    await statuses(4, 'a.a.a');

    await post('b.b.b');
    const a = await statuses(3, 'a.a.a');

    expect(a).toEqual([202, 202, 202]);
  });

  it('rejects options that would block every request', () => {
    const clock = new FixedClock();

    expect(() => clientRateLimit({ ratePerSecond: 0, burst: 1, clock })).toThrow(TypeError);
    expect(() => clientRateLimit({ ratePerSecond: 1, burst: 0, clock })).toThrow(TypeError);
  });
});
