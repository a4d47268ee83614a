import {
  anEmailRequest,
  anSmsRequest,
  FixedClock,
  InMemoryRecipientCaps,
  type InMemoryNotificationStore,
  type InMemoryQueue,
} from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from './testing';

/** `expiresAt` outside (now, now + 30 days]: 400 on `expiresAt`, nothing stored, no cap counted. */

const TOKEN = 'a.a.a';
const verifier = fixedTokens({ [TOKEN]: { clientId: 'client-a', scopes: ['notifications:send'] } });
const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

let app: TestApp;
let base: string;
let store: InMemoryNotificationStore;
let queue: InMemoryQueue;

beforeEach(async () => {
  const clock = new FixedClock(new Date(NOW));
  app = await startTestApp({
    verifier,
    clock,
    recipientCaps: new InMemoryRecipientCaps({ max: 1, allClientsMax: 10, windowMs: 3_600_000 }),
  });
  ({ base, store, queue } = app);
});

afterEach(async () => {
  await app.close();
});

interface ErrorReply {
  error: { code: string; details?: { path: string; message: string }[] };
}

function post(body: unknown) {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('POST /v1/notifications with an expiresAt outside the accepted window', () => {
  it.each([
    ['a minute in the past', iso(NOW - 60_000)],
    ['exactly now', iso(NOW)],
    ['in the past, written with an offset', '2026-01-01T00:30:00+01:00'],
    ['more than 30 days ahead', iso(NOW + 30 * DAY_MS + 1000)],
  ])('answers an expiresAt %s with 400 on expiresAt and stores nothing', async (_n, expiresAt) => {
    const res = await post(anEmailRequest({ expiresAt }));

    const reply = (await res.json()) as ErrorReply;
    expect(res.status).toBe(400);
    expect(reply.error.code).toBe('VALIDATION_FAILED');
    expect(reply.error.details?.map((d) => d.path)).toEqual(['expiresAt']);
    expect(store.records.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('does not count a rejected SMS against the recipient cap', async () => {
    const rejected = await post(anSmsRequest({ expiresAt: iso(NOW - 1000) }));

    const accepted = await post(anSmsRequest({ expiresAt: iso(NOW + 60_000) }));

    expect(rejected.status).toBe(400);
    expect(accepted.status).toBe(202);
    expect(store.records.size).toBe(1);
  });

  it('accepts an expiresAt a second from now and one exactly 30 days ahead', async () => {
    const soon = await post(anEmailRequest({ expiresAt: iso(NOW + 1000) }));
    const limit = await post(anEmailRequest({ expiresAt: iso(NOW + 30 * DAY_MS) }));

    expect([soon.status, limit.status]).toEqual([202, 202]);
  });
});
