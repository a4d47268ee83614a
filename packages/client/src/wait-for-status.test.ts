import { createHeraldClient, isHeraldApiError } from './index';
import {
  aNotificationView,
  hold,
  startFakeHeraldApi,
  type FakeAnswer,
  type FakeHeraldApi,
} from './testing';

let api: FakeHeraldApi;
let answer: FakeAnswer;

beforeEach(async () => {
  answer = () => ({ status: 500, json: { error: { code: 'INTERNAL', message: 'unscripted' } } });
  api = await startFakeHeraldApi((req, gone) => answer(req, gone));
});

afterEach(async () => {
  await api.close();
});

function client() {
  return createHeraldClient({ baseUrl: api.baseUrl, token: 'tok-1' });
}

/** Pending at once; a long-poll is held `deliverAfterMs`, then answers Delivered. */
function deliveredAfter(deliverAfterMs: number): FakeAnswer {
  return async (req, gone) => {
    if (!req.query.has('waitSeconds')) return { status: 200, json: aNotificationView() };
    await hold(deliverAfterMs, gone);
    return { status: 200, json: aNotificationView({ status: 'Delivered', attempts: 1 }) };
  };
}

/** Pending at once; a long-poll is held for its full `waitSeconds`, then answers Pending. */
const alwaysPending: FakeAnswer = async (req, gone) => {
  await hold(Number(req.query.get('waitSeconds') ?? 0) * 1000, gone);
  return { status: 200, json: aNotificationView() };
};

describe('waitForStatus', () => {
  it('reads once, then long-polls with waitSeconds = 20 until Delivered', async () => {
    answer = deliveredAfter(50);

    const view = await client().waitForStatus('ntf_01', { timeoutMs: 60_000 });

    expect(view).toMatchObject({ status: 'Delivered', attempts: 1 });
    expect(api.requests.map((r) => `${r.path}?${r.query.toString()}`)).toEqual([
      '/v1/notifications/ntf_01?',
      '/v1/notifications/ntf_01?waitSeconds=20',
    ]);
    expect(api.requests.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('returns at once when the first read is already final', async () => {
    answer = () => ({ status: 200, json: aNotificationView({ status: 'Refused' }) });

    const view = await client().waitForStatus('ntf_01', { timeoutMs: 60_000 });

    expect(view.status).toBe('Refused');
    expect(api.requests).toHaveLength(1);
  });

  it('returns the last Pending view when timeoutMs passes, cutting the long-poll short', async () => {
    let longPollCutShort = false;
    answer = async (req, gone) => {
      // Hold long-polls for a minute: only the client giving up ends them.
      if (req.query.get('waitSeconds') !== null) {
        await hold(60_000, gone);
        longPollCutShort = gone.aborted;
      }
      return { status: 200, json: aNotificationView({ status: 'Pending' }) };
    };

    const view = await client().waitForStatus('ntf_01', { timeoutMs: 300 });

    expect(view.status).toBe('Pending');
    for (let i = 0; i < 100 && !longPollCutShort; i++) await new Promise((r) => setTimeout(r, 10));
    expect(longPollCutShort).toBe(true);
    expect(api.requests.map((r) => r.query.get('waitSeconds'))).toEqual([null, '1']);
  });

  it('retries network errors with a short backoff', async () => {
    const replies = ['drop', 'drop'] as const;
    answer = (req, gone) => replies[api.requests.length - 1] ?? deliveredAfter(10)(req, gone);

    const view = await client().waitForStatus('ntf_01', { timeoutMs: 10_000 });

    expect(view.status).toBe('Delivered');
    expect(api.requests).toHaveLength(4);
  });

  it('retries a 503, honouring Retry-After', async () => {
    answer = (req, gone) =>
      api.requests.length === 1
        ? { status: 503, headers: { 'retry-after': '0' }, json: { error: unavailable } }
        : deliveredAfter(10)(req, gone);

    const view = await client().waitForStatus('ntf_01', { timeoutMs: 10_000 });

    expect(view.status).toBe('Delivered');
    expect(api.requests).toHaveLength(3);
  });

  it('rejects at once with a 404, without retrying', async () => {
    answer = () => ({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'not found' } } });

    const err: unknown = await client()
      .waitForStatus('ntf_01', { timeoutMs: 10_000 })
      .catch((e: unknown) => e);

    expect(isHeraldApiError(err) && err.code).toBe('NOT_FOUND');
    expect(api.requests).toHaveLength(1);
  });

  it('rejects with the last network error when no view was ever read', async () => {
    answer = () => 'drop';

    await expect(client().waitForStatus('ntf_01', { timeoutMs: 300 })).rejects.toMatchObject({
      name: 'TypeError',
    });
  });

  it('rejects with the caller’s abort reason, even after a Pending view', async () => {
    answer = alwaysPending;
    const controller = new AbortController();
    const waiting = client().waitForStatus('ntf_01', {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    await waitUntil(() => api.requests.length === 2);

    controller.abort(new Error('user gave up'));

    await expect(waiting).rejects.toThrow('user gave up');
  });

  it('rejects a negative timeoutMs', async () => {
    await expect(client().waitForStatus('ntf_01', { timeoutMs: -1 })).rejects.toThrow(RangeError);
  });
});

const unavailable = { code: 'UNAVAILABLE', message: 'store down' };

/** Polls a condition the real server sets; the server, not a timer, decides when it is true. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
