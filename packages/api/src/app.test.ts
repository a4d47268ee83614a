import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  AppError,
  createAcceptNotification,
  silentLogger,
  type NotificationStore,
} from '@herald/core';
import {
  anEmailRequest,
  FixedClock,
  InMemoryNotificationStore,
  InMemoryQueue,
} from '@herald/core/testing';
import { createApp } from './app';
import type { ClientIdentity, TokenVerifier } from './middleware/require-client-token';

const TOKENS: Record<string, ClientIdentity> = {
  'a.a.a': { clientId: 'client-a', scopes: ['notifications:send', 'notifications:read'] },
  'b.b.b': { clientId: 'client-b', scopes: ['notifications:send', 'notifications:read'] },
  'r.r.r': { clientId: 'client-a', scopes: ['notifications:read'] },
};
const verifier: TokenVerifier = {
  verify: (token) =>
    TOKENS[token]
      ? Promise.resolve(TOKENS[token])
      : Promise.reject(new AppError('UNAUTHENTICATED', 'token is invalid')),
};

let server: Server;
let base: string;
let store: InMemoryNotificationStore;
let queue: InMemoryQueue;
let storeDown: boolean;

beforeEach(async () => {
  store = new InMemoryNotificationStore();
  queue = new InMemoryQueue();
  storeDown = false;
  const flakyStore = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        storeDown
          ? Promise.reject(new AppError('UNAVAILABLE', 'store down'))
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  }) as NotificationStore;
  const accept = createAcceptNotification({
    store: flakyStore,
    queue,
    clock: new FixedClock(),
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const app = createApp({
    accept,
    store: flakyStore,
    verifier,
    logger: silentLogger,
    readiness: () =>
      Promise.resolve({
        ok: !storeDown,
        checks: { table: storeDown ? 'unavailable' : 'ok', queue: 'ok' },
      }),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function post(body: unknown, headers: Record<string, string> = {}, token = 'a.a.a') {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function get(path: string, token = 'a.a.a', headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

describe('POST /v1/notifications', () => {
  it('stores and enqueues the notification, then answers 202 Pending with a Location', async () => {
    const res = await post(anEmailRequest());

    const body = (await res.json()) as {
      id: string;
      status: string;
      channel: string;
      createdAt: string;
    };
    expect(res.status).toBe(202);
    expect(body).toEqual({
      id: expect.stringMatching(/^ntf_/) as unknown,
      status: 'Pending',
      channel: 'email',
      createdAt: expect.any(String) as unknown,
    });
    expect(res.headers.get('location')).toBe(`/v1/notifications/${body.id}`);
    expect(store.records.get(body.id)?.status).toBe('Pending');
    expect(queue.sent).toEqual([body.id]);
  });

  it('answers a retry with the same key and body with the same id and body', async () => {
    const first = await post(anEmailRequest(), { 'idempotency-key': 'order-42' });
    const second = await post({ ...anEmailRequest() }, { 'idempotency-key': 'order-42' });

    expect(second.status).toBe(202);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(store.records.size).toBe(1);
  });

  it('answers 422 when a key is reused with a different body', async () => {
    await post(anEmailRequest(), { 'idempotency-key': 'order-42' });
    const res = await post(anEmailRequest({ subject: 'Other' }), { 'idempotency-key': 'order-42' });

    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'IDEMPOTENCY_MISMATCH',
    );
    expect(store.records.size).toBe(1);
  });

  it('keeps two clients using the same key apart', async () => {
    const a = (await (await post(anEmailRequest(), { 'idempotency-key': 'k' })).json()) as {
      id: string;
    };
    const b = (await (
      await post(anEmailRequest(), { 'idempotency-key': 'k' }, 'b.b.b')
    ).json()) as { id: string };

    expect(a.id).not.toBe(b.id);
  });

  it('lists every validation problem with its path and stores nothing', async () => {
    const res = await post({
      channel: 'email',
      to: ['not-an-address', 'ok@example.com'],
      subject: 'a\r\nBcc: x@y.z',
      extra: 1,
    });

    const body = (await res.json()) as {
      error: { code: string; details: { path: string; message: string }[] };
    };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path).sort()).toEqual([
      'extra',
      'subject',
      'text',
      'to[0]',
    ]);
    expect(store.records.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('names the channel when it is missing or unknown', async () => {
    const res = await post({ channel: 'fax', to: '+15555550100' });

    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(res.status).toBe(400);
    expect(body.error.details[0]?.path).toBe('channel');
  });

  it.each([
    ['invalid JSON', '{"channel":', 400, 'VALIDATION_FAILED'],
    ['a JSON array', '[1,2]', 400, 'VALIDATION_FAILED'],
    [
      'a body over 256 KiB',
      JSON.stringify({ ...anEmailRequest(), text: 'x'.repeat(300_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('rejects %s', async (_name, raw, status, code) => {
    const res = await post(raw);

    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(store.records.size).toBe(0);
  });

  it('answers 400, never 5xx, for a corrupt gzip body, a missing body and a malformed URL escape', async () => {
    const gzip = await post('not gzip at all', { 'content-encoding': 'gzip' });
    const empty = await fetch(`${base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: 'Bearer a.a.a', 'content-type': 'application/json' },
    });
    const badEscape = await get('/v1/notifications/%E0%A4%A');

    expect([gzip.status, empty.status, badEscape.status]).toEqual([400, 400, 400]);
    expect(((await gzip.json()) as { error: { code: string } }).error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(store.records.size).toBe(0);
  });

  it('rejects a body that is not application/json with 415', async () => {
    const res = await post('channel=email', {
      'content-type': 'application/x-www-form-urlencoded',
    });

    expect(res.status).toBe(415);
  });

  it('rejects a malformed Idempotency-Key', async () => {
    const res = await post(anEmailRequest(), { 'idempotency-key': 'x'.repeat(300) });

    expect(res.status).toBe(400);
  });

  it('answers 401 without a token or with a bad one, and 403 without the send scope', async () => {
    const none = await fetch(`${base}/v1/notifications`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    const bad = await post(anEmailRequest(), {}, 'x.y.z');
    const readOnly = await post(anEmailRequest(), {}, 'r.r.r');

    expect(none.status).toBe(401);
    expect(bad.status).toBe(401);
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('answers 503 with Retry-After when the store is down, and stores nothing', async () => {
    storeDown = true;

    const res = await post(anEmailRequest());

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(store.records.size).toBe(0);
  });

  it('answers 202 when the queue is down, because the sweeper will enqueue the stored notification', async () => {
    queue.failing = true;

    const res = await post(anEmailRequest());

    expect(res.status).toBe(202);
    expect(store.records.size).toBe(1);
  });
});

describe('GET /v1/notifications/:id', () => {
  async function createOne(token = 'a.a.a') {
    return ((await (await post(anEmailRequest(), {}, token)).json()) as { id: string }).id;
  }

  it('shows the status and event history', async () => {
    const id = await createOne();

    const res = await get(`/v1/notifications/${id}`);

    const body = (await res.json()) as {
      status: string;
      events: { type: string }[];
      attempts: number;
    };
    expect(res.status).toBe(200);
    expect(body.status).toBe('Pending');
    expect(body.attempts).toBe(0);
    expect(body.events.map((e) => e.type)).toEqual(['accepted']);
  });

  it("answers 404 for another client's notification, exactly as for a missing one", async () => {
    const id = await createOne('b.b.b');

    const other = await get(`/v1/notifications/${id}`);
    const missing = await get('/v1/notifications/ntf_00000000000000000000000000');

    expect(other.status).toBe(404);
    expect(await other.json()).toEqual(await missing.json());
  });

  it('answers 304 when If-None-Match carries the current ETag', async () => {
    const id = await createOne();
    const first = await get(`/v1/notifications/${id}`);
    const etag = first.headers.get('etag') ?? '';

    const second = await get(`/v1/notifications/${id}`, 'a.a.a', { 'if-none-match': etag });

    expect(etag).not.toBe('');
    expect(second.status).toBe(304);
  });

  it('holds a long-poll until the notification is final', async () => {
    const id = await createOne();
    const polling = get(`/v1/notifications/${id}?waitSeconds=5`);
    setTimeout(() => {
      const record = store.records.get(id)!;
      record.status = 'Delivered';
      record.updatedAt = new Date().toISOString();
    }, 150);

    const res = await polling;

    expect(((await res.json()) as { status: string }).status).toBe('Delivered');
  });

  it('rejects waitSeconds above 20 and unknown query parameters', async () => {
    const id = await createOne();

    expect((await get(`/v1/notifications/${id}?waitSeconds=21`)).status).toBe(400);
    expect((await get(`/v1/notifications/${id}?foo=1`)).status).toBe(400);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('answers %s with 405 and Allow', async (method) => {
    const id = await createOne();

    const res = await fetch(`${base}/v1/notifications/${id}`, {
      method,
      headers: { authorization: 'Bearer a.a.a' },
    });

    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('GET /v1/notifications', () => {
  it("lists only the caller's notifications, newest first, page by page", async () => {
    for (let i = 0; i < 3; i++) await post(anEmailRequest({ subject: `n${i}` }));
    await post(anEmailRequest(), {}, 'b.b.b');

    const first = (await (await get('/v1/notifications?limit=2')).json()) as {
      items: { id: string }[];
      nextCursor?: string;
    };
    const second = (await (
      await get(`/v1/notifications?limit=2&cursor=${first.nextCursor}`)
    ).json()) as { items: unknown[]; nextCursor?: string };

    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
  });

  it('rejects an unknown status filter', async () => {
    expect((await get('/v1/notifications?status=Sent')).status).toBe(400);
  });
});

describe('health', () => {
  it('reports readiness from the queue and table checks', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
