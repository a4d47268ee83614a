import type { NotificationRequest, NotificationView } from '@herald/core';
import { createHeraldClient, etagOf, isHeraldApiError, type HeraldApiError } from './index';
import {
  aNotificationView,
  anAcceptedView,
  hold,
  startFakeHeraldApi,
  type FakeAnswer,
  type FakeHeraldApi,
} from './testing';

const request: NotificationRequest = {
  channel: 'email',
  to: 'ada@example.com',
  subject: 'Hello',
  text: 'Hi Ada',
};

let api: FakeHeraldApi;
let answer: FakeAnswer;

beforeEach(async () => {
  answer = () => ({ status: 500, json: { error: { code: 'INTERNAL', message: 'unscripted' } } });
  api = await startFakeHeraldApi((req, gone) => answer(req, gone));
});

afterEach(async () => {
  await api.close();
});

function client(overrides: Partial<Parameters<typeof createHeraldClient>[0]> = {}) {
  return createHeraldClient({ baseUrl: api.baseUrl, token: 'tok-1', ...overrides });
}

async function rejection(promise: Promise<unknown>): Promise<HeraldApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isHeraldApiError(err)) throw new Error(`expected a HeraldApiError, got ${String(err)}`);
  return err;
}

describe('sendNotificationAsync', () => {
  it('POSTs the notification as JSON with the bearer token and Idempotency-Key, and returns the 202 body', async () => {
    answer = () => ({ status: 202, json: anAcceptedView({ id: 'ntf_9' }) });
    const herald = client({ userAgent: 'billing/1.0' });

    const accepted = await herald.sendNotificationAsync(request, { idempotencyKey: 'order-42' });

    expect(accepted).toEqual(anAcceptedView({ id: 'ntf_9' }));
    const [sent] = api.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/notifications');
    expect(sent?.headers.authorization).toBe('Bearer tok-1');
    expect(sent?.headers['idempotency-key']).toBe('order-42');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers['user-agent']).toBe('billing/1.0');
    expect(JSON.parse(sent?.body ?? '')).toEqual(request);
  });

  it('sends no Idempotency-Key header when none is given', async () => {
    answer = () => ({ status: 202, json: anAcceptedView() });

    await client().sendNotificationAsync(request);

    expect(api.requests[0]?.headers).not.toHaveProperty('idempotency-key');
  });

  it('calls the token provider before every request', async () => {
    answer = () => ({ status: 202, json: anAcceptedView() });
    let calls = 0;
    const herald = client({ token: () => Promise.resolve(`tok-${++calls}`) });

    await herald.sendNotificationAsync(request);
    await herald.sendNotificationAsync(request);

    expect(calls).toBe(2);
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  it('keeps a path prefix in baseUrl and ignores its trailing slash', async () => {
    answer = () => ({ status: 202, json: anAcceptedView() });

    await client({ baseUrl: `${api.baseUrl}/herald/` }).sendNotificationAsync(request);

    expect(api.requests[0]?.path).toBe('/herald/v1/notifications');
  });
});

describe('getNotificationStatus', () => {
  it('GETs the encoded id with waitSeconds and If-None-Match, and remembers the ETag', async () => {
    answer = () => ({ status: 200, json: aNotificationView(), headers: { etag: '"v1"' } });

    const view = await client().getNotificationStatus('ntf/1 2', {
      waitSeconds: 5,
      etag: '"v0"',
    });

    expect(view).toEqual(aNotificationView());
    expect(etagOf(view)).toBe('"v1"');
    const [sent] = api.requests;
    expect(sent?.method).toBe('GET');
    expect(sent?.path).toBe('/v1/notifications/ntf%2F1%202');
    expect(sent?.query.toString()).toBe('waitSeconds=5');
    expect(sent?.headers['if-none-match']).toBe('"v0"');
    expect(sent?.headers.authorization).toBe('Bearer tok-1');
  });

  it('sends no query string without waitSeconds', async () => {
    answer = () => ({ status: 200, json: aNotificationView() });

    await client().getNotificationStatus('ntf_01');

    expect(api.requests[0]?.query.toString()).toBe('');
  });

  it('rejects with NOT_MODIFIED when the server answers 304', async () => {
    answer = () => ({ status: 304, headers: { etag: '"v1"' } });

    const err = await rejection(client().getNotificationStatus('ntf_01', { etag: '"v1"' }));

    expect(err).toMatchObject({ status: 304, code: 'NOT_MODIFIED' });
  });

  it.each([21, -1, 1.5])(
    'rejects waitSeconds %p without sending a request',
    async (waitSeconds) => {
      await expect(client().getNotificationStatus('ntf_01', { waitSeconds })).rejects.toThrow(
        RangeError,
      );

      expect(api.requests).toHaveLength(0);
    },
  );
});

describe('listNotifications', () => {
  it('GETs the collection with status, limit and cursor and returns the page', async () => {
    const summary: Partial<NotificationView> = aNotificationView();
    delete summary.events;
    answer = () => ({ status: 200, json: { items: [summary], nextCursor: 'c2' } });

    const page = await client().listNotifications({ status: 'Pending', limit: 10, cursor: 'c1' });

    expect(page).toEqual({ items: [summary], nextCursor: 'c2' });
    expect(api.requests[0]?.path).toBe('/v1/notifications');
    expect(Object.fromEntries(api.requests[0]?.query ?? [])).toEqual({
      status: 'Pending',
      limit: '10',
      cursor: 'c1',
    });
  });

  it('sends no query string without a query', async () => {
    answer = () => ({ status: 200, json: { items: [] } });

    const page = await client().listNotifications();

    expect(page).toEqual({ items: [] });
    expect(api.requests[0]?.query.toString()).toBe('');
  });
});

describe('errors', () => {
  it('maps the shared error shape and the request id', async () => {
    const details = [{ path: 'to', message: 'must be an email address' }];
    answer = () => ({
      status: 400,
      headers: { 'x-request-id': 'r-400' },
      json: { error: { code: 'VALIDATION_FAILED', message: 'Notification is invalid', details } },
    });

    const err = await rejection(client().sendNotificationAsync(request));

    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'HeraldApiError',
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Notification is invalid',
      details,
      requestId: 'r-400',
    });
    expect(err.retryAfterSeconds).toBeUndefined();
  });

  it('exposes Retry-After on a 503', async () => {
    answer = () => ({
      status: 503,
      headers: { 'retry-after': '2' },
      json: { error: { code: 'UNAVAILABLE', message: 'retry with the same Idempotency-Key' } },
    });

    const err = await rejection(client().sendNotificationAsync(request));

    expect(err).toMatchObject({ status: 503, code: 'UNAVAILABLE', retryAfterSeconds: 2 });
  });

  it('falls back to the status for a body that is not the error shape', async () => {
    answer = () => ({
      status: 429,
      headers: { 'retry-after': '7', 'content-type': 'text/html' },
      text: '<h1>Too Many Requests</h1>',
    });

    const err = await rejection(client().getNotificationStatus('ntf_01'));

    expect(err).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'HTTP 429 Too Many Requests',
      details: { body: '<h1>Too Many Requests</h1>' },
      requestId: 'req-1',
      retryAfterSeconds: 7,
    });
  });

  it('uses HTTP_ERROR for an unmapped status with an empty body', async () => {
    answer = () => ({ status: 502 });

    const err = await rejection(client().listNotifications());

    expect(err).toMatchObject({ status: 502, code: 'HTTP_ERROR', details: undefined });
  });

  it('rejects a success whose body is not JSON with INVALID_RESPONSE', async () => {
    answer = () => ({ status: 200, text: 'not json' });

    const err = await rejection(client().getNotificationStatus('ntf_01'));

    expect(err).toMatchObject({ status: 200, code: 'INVALID_RESPONSE' });
  });

  it('rejects with a TimeoutError when the server does not answer within timeoutMs', async () => {
    answer = async (_req, gone) => {
      await hold(5_000, gone);
      return { status: 200, json: aNotificationView() };
    };

    await expect(client({ timeoutMs: 100 }).getNotificationStatus('ntf_01')).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('rejects with the caller’s abort reason', async () => {
    answer = async (_req, gone) => {
      await hold(5_000, gone);
      return { status: 200, json: aNotificationView() };
    };
    const controller = new AbortController();
    const pending = client().getNotificationStatus('ntf_01', { signal: controller.signal });

    controller.abort(new Error('user gave up'));

    await expect(pending).rejects.toThrow('user gave up');
  });

  it('isHeraldApiError is false for other errors', () => {
    expect(isHeraldApiError(new Error('x'))).toBe(false);
    expect(isHeraldApiError(undefined)).toBe(false);
  });
});

describe('createHeraldClient', () => {
  it.each([
    [{ baseUrl: 'ftp://herald' }, TypeError],
    [{ baseUrl: 'not a url' }, TypeError],
    [{ token: '' }, TypeError],
    [{ timeoutMs: 0 }, RangeError],
  ])('rejects bad options %p at once', (overrides, type) => {
    expect(() => client(overrides)).toThrow(type);
  });

  it('returns plain functions that work when destructured', async () => {
    answer = () => ({ status: 200, json: aNotificationView({ status: 'Delivered' }) });
    const { getNotificationStatus } = client();

    const view = await getNotificationStatus('ntf_01');

    expect(view.status).toBe('Delivered');
  });
});
