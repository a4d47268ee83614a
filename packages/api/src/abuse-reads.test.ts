import type { NotificationRecord } from '@herald/core';
import {
  anEmailRequest,
  aPendingRecord,
  FixedClock,
  InMemoryClientSettings,
  type InMemoryNotificationStore,
} from '@herald/core/testing';
import { createLongPollLimit, type LongPollLimit } from './long-poll-limit';
import { clientRateLimit, readOverrides, sendOverrides } from './middleware/rate-limit';
import { fixedTokens, startTestApp, type TestApp } from './testing';

/**
 * Read cost: a page is at most 100 items, reads are rate-limited per client (429 + Retry-After),
 * long-polls are capped per client and api instance (429), and a client's settings move only its
 * own limits.
 */

const SCOPES = ['notifications:send', 'notifications:read'];
const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: SCOPES },
  'b.b.b': { clientId: 'client-b', scopes: SCOPES },
});
const CLIENT_OF = { 'a.a.a': 'client-a', 'b.b.b': 'client-b' } as const;
type Token = keyof typeof CLIENT_OF;

let app: TestApp | undefined;
let base: string;
let store: InMemoryNotificationStore;
let clock: FixedClock;
let settings: InMemoryClientSettings;
let longPolls: LongPollLimit;

async function start(opts: { readBurst?: number; longPolls?: number } = {}) {
  clock = new FixedClock();
  settings = new InMemoryClientSettings();
  longPolls = createLongPollLimit({ maxPerClient: opts.longPolls ?? 20 });
  app = await startTestApp({
    verifier,
    clock,
    clientSettings: settings,
    clientRateLimit: clientRateLimit({
      ratePerSecond: 1,
      burst: 2,
      clock,
      overrides: sendOverrides,
    }),
    readRateLimit: clientRateLimit({
      ratePerSecond: 1,
      burst: opts.readBurst ?? 1_000,
      clock,
      overrides: readOverrides,
    }),
    longPolls,
  });
  ({ base, store } = app);
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

function get(path: string, token: Token = 'a.a.a', signal?: AbortSignal) {
  return fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(signal ? { signal } : {}),
  });
}

function post(token: Token = 'a.a.a') {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(anEmailRequest()),
  });
}

function stored(token: Token, status: NotificationRecord['status'] = 'Pending'): string {
  const record = aPendingRecord({ clientId: CLIENT_OF[token], status });
  store.records.set(record.id, record);
  return record.id;
}

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}

describe('GET /v1/notifications page size', () => {
  it.each(['1000', '101', '0', '-1', '1e3'])('answers 400 for limit=%s', async (limit) => {
    await start();

    const res = await get(`/v1/notifications?limit=${limit}`);

    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('answers at most 100 items for limit=100', async () => {
    await start();
    for (let i = 0; i < 120; i++) stored('a.a.a');

    const res = await get('/v1/notifications?limit=100');

    const body = (await res.json()) as { items: unknown[]; nextCursor?: string };
    expect(res.status).toBe(200);
    expect(body.items).toHaveLength(100);
    expect(body.nextCursor).toBeDefined();
  });
});

describe('read rate limit', () => {
  it('answers 429 with Retry-After once a client has used its read burst, lists and gets alike', async () => {
    await start({ readBurst: 3 });
    const id = stored('a.a.a');

    const allowed = [
      (await get('/v1/notifications')).status,
      (await get(`/v1/notifications/${id}`)).status,
      (await get('/v1/notifications?status=Pending')).status,
    ];
    const limitedList = await get('/v1/notifications');
    const limitedGet = await get(`/v1/notifications/${id}`);

    expect(allowed).toEqual([200, 200, 200]);
    expect(limitedList.status).toBe(429);
    expect(limitedList.headers.get('retry-after')).toBe('1');
    expect(limitedGet.status).toBe(429);
    expect(((await limitedGet.json()) as { error: { code: string } }).error.code).toBe(
      'RATE_LIMITED',
    );
  });

  it("leaves other clients' reads and the client's own sends alone", async () => {
    await start({ readBurst: 2 });
    await get('/v1/notifications');
    await get('/v1/notifications');

    const other = await get('/v1/notifications', 'b.b.b');
    const send = await post();
    const again = await get('/v1/notifications');

    expect(other.status).toBe(200);
    expect(send.status).toBe(202);
    expect(again.status).toBe(429);
  });

  it('refills as time passes', async () => {
    await start({ readBurst: 1 });
    await get('/v1/notifications');

    const limited = (await get('/v1/notifications')).status;
    clock.advance(1_000);
    const refilled = (await get('/v1/notifications')).status;

    expect([limited, refilled]).toEqual([429, 200]);
  });

  it("applies a client's readPerSecond/readBurst to that client only", async () => {
    await start({ readBurst: 2 });
    settings.set('client-a', { limits: { readPerSecond: 10, readBurst: 5 } });

    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 6; i++) a.push((await get('/v1/notifications')).status);
    for (let i = 0; i < 3; i++) b.push((await get('/v1/notifications', 'b.b.b')).status);
    clock.advance(100);
    const aAfterATenth = (await get('/v1/notifications')).status;

    expect(a).toEqual([200, 200, 200, 200, 200, 429]);
    expect(b).toEqual([200, 200, 429]);
    expect(aAfterATenth).toBe(200);
  });

  it("applies a client's sendPerSecond/sendBurst to that client's sends only", async () => {
    await start();
    settings.set('client-b', { limits: { sendBurst: 4 } });

    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 3; i++) a.push((await post()).status);
    for (let i = 0; i < 5; i++) b.push((await post('b.b.b')).status);

    expect(a).toEqual([202, 202, 429]);
    expect(b).toEqual([202, 202, 202, 202, 429]);
  });
});

describe('long-poll cap', () => {
  /** Opens `n` long-polls of `token` on Pending notifications and waits until the api holds them. */
  async function hold(n: number, token: Token, abort: AbortController) {
    const polls = Array.from({ length: n }, () =>
      get(`/v1/notifications/${stored(token)}?waitSeconds=20`, token, abort.signal).catch(
        () => undefined,
      ),
    );
    await until(`${n} held long-polls`, () => longPolls.inFlight(CLIENT_OF[token]) === n);
    return polls;
  }

  it("answers a client's 21st concurrent long-poll 429 while another client's is accepted", async () => {
    await start();
    const abort = new AbortController();
    const held = await hold(20, 'a.a.a', abort);

    const extra = await get(`/v1/notifications/${stored('a.a.a', 'Delivered')}?waitSeconds=20`);
    const plain = await get(`/v1/notifications/${stored('a.a.a')}`);
    const other = await get(
      `/v1/notifications/${stored('b.b.b', 'Delivered')}?waitSeconds=20`,
      'b.b.b',
    );
    abort.abort();
    await Promise.all(held);

    expect(extra.status).toBe(429);
    expect(extra.headers.get('retry-after')).toBe('1');
    expect(plain.status).toBe(200);
    expect(other.status).toBe(200);
  });

  it('frees the slot when a long-poll ends or its client goes away', async () => {
    await start({ longPolls: 1 });
    const abort = new AbortController();
    const held = await hold(1, 'a.a.a', abort);

    abort.abort();
    await Promise.all(held);
    await until('the slot to be freed', () => longPolls.inFlight('client-a') === 0);
    const next = await get(`/v1/notifications/${stored('a.a.a', 'Delivered')}?waitSeconds=20`);

    expect(next.status).toBe(200);
    expect(longPolls.inFlight('client-a')).toBe(0);
  });

  it("applies a client's longPolls setting to that client only", async () => {
    await start({ longPolls: 1 });
    settings.set('client-a', { limits: { longPolls: 3 } });
    const abort = new AbortController();
    const held = await hold(3, 'a.a.a', abort);
    const heldB = await hold(1, 'b.b.b', abort);

    const fourth = await get(`/v1/notifications/${stored('a.a.a')}?waitSeconds=1`);
    const secondB = await get(`/v1/notifications/${stored('b.b.b')}?waitSeconds=1`, 'b.b.b');
    abort.abort();
    await Promise.all([...held, ...heldB]);

    expect(fourth.status).toBe(429);
    expect(secondB.status).toBe(429);
  });
});
