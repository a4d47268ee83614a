import { AppError } from '@herald/core';
import {
  anEmailRequest,
  anSmsRequest,
  FixedClock,
  InMemoryClientSettings,
  InMemoryRecipientCaps,
  type InMemoryNotificationStore,
} from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const WINDOW_MS = 3_600_000;
const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: ['notifications:send'] },
  'b.b.b': { clientId: 'client-b', scopes: ['notifications:send'] },
});

let app: TestApp;
let base: string;
let store: InMemoryNotificationStore;
let clock: FixedClock;
let storeDown: boolean;
let settings: InMemoryClientSettings;

beforeEach(async () => {
  storeDown = false;
  clock = new FixedClock();
  settings = new InMemoryClientSettings();
  app = await startTestApp({
    verifier,
    clock,
    clientSettings: settings,
    wrapAccept: (accept) => (input) =>
      storeDown ? Promise.reject(new AppError('UNAVAILABLE', 'store down')) : accept(input),
    recipientCaps: new InMemoryRecipientCaps({ max: 10, allClientsMax: 100, windowMs: WINDOW_MS }),
  });
  ({ base, store } = app);
});

afterEach(async () => {
  await app.close();
});

function post(body: unknown, headers: Record<string, string> = {}, token = 'a.a.a') {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function statuses(
  n: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await post(body, headers)).status);
  return out;
}

describe('recipient cap on POST /v1/notifications', () => {
  it('answers 429 to the 11th SMS to one number within the window and stores nothing', async () => {
    const first10 = await statuses(10, anSmsRequest());

    const res = await post(anSmsRequest());
    const other = await post(anSmsRequest({ to: '+447400123999' }));

    expect(first10).toEqual(Array<number>(10).fill(202));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3600');
    expect(await res.json()).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: 'too many messages to this recipient; retry later',
        details: { retryAfterSeconds: 3600 },
      },
    });
    expect(other.status).toBe(202);
    expect(store.records.size).toBe(11);
  });

  it('frees the number when its window ends, and says when in Retry-After', async () => {
    await statuses(5, anSmsRequest());
    clock.advance(WINDOW_MS / 2);
    await statuses(5, anSmsRequest());

    const full = await post(anSmsRequest());
    clock.advance(WINDOW_MS / 2);
    const freed = await statuses(11, anSmsRequest());

    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBe('1800');
    expect(freed).toEqual([...Array<number>(10).fill(202), 429]);
  });

  it('does not count an idempotent replay and answers it with the original 202', async () => {
    await statuses(9, anSmsRequest());
    const tenth = await post(anSmsRequest(), { 'idempotency-key': 'otp-10' });

    const replay = await post(anSmsRequest(), { 'idempotency-key': 'otp-10' });
    const eleventh = await post(anSmsRequest(), { 'idempotency-key': 'otp-11' });

    expect(tenth.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(await tenth.json());
    expect(eleventh.status).toBe(429);
    expect(store.records.size).toBe(10);
  });

  it('caps whatsapp separately from sms', async () => {
    await statuses(10, anSmsRequest());

    const res = await post({ channel: 'whatsapp', to: anSmsRequest().to, body: 'Hi' });

    expect(res.status).toBe(202);
  });

  it("keeps counting per client: client A's full cap leaves client B's one-time password to the number 202", async () => {
    const byA = await statuses(11, anSmsRequest());

    const byB = await post(anSmsRequest({ body: 'Your code is 123456' }), {}, 'b.b.b');

    expect(byA.at(-1)).toBe(429);
    expect(byB.status).toBe(202);
  });

  it('does not count a request refused for reusing an Idempotency-Key with another body', async () => {
    await post(anSmsRequest(), { 'idempotency-key': 'otp' });
    const mismatched = await statuses(10, anSmsRequest({ body: 'Another code' }), {
      'idempotency-key': 'otp',
    });

    const res = await statuses(9, anSmsRequest());

    expect(mismatched).toEqual(Array<number>(10).fill(422));
    expect(res).toEqual(Array<number>(9).fill(202));
    expect(store.records.size).toBe(10);
  });

  it("applies the client's own recipientCap override", async () => {
    settings.set('client-b', { limits: { recipientCap: 2 } });

    const byB = [
      (await post(anSmsRequest(), {}, 'b.b.b')).status,
      (await post(anSmsRequest(), {}, 'b.b.b')).status,
      (await post(anSmsRequest(), {}, 'b.b.b')).status,
    ];
    const byA = await statuses(10, anSmsRequest());

    expect(byB).toEqual([202, 202, 429]);
    expect(byA).toEqual(Array<number>(10).fill(202));
  });

  it('does not cap email', async () => {
    const res = await statuses(11, anEmailRequest());

    expect(res).toEqual(Array<number>(11).fill(202));
  });

  it('does not count a request that fails validation', async () => {
    await statuses(10, { ...anSmsRequest(), body: '' });

    const res = await post(anSmsRequest());

    expect(res.status).toBe(202);
  });

  it('gives the count back when the notification could not be stored', async () => {
    storeDown = true;
    const failed = await statuses(10, anSmsRequest());
    storeDown = false;

    const res = await post(anSmsRequest());

    expect(failed).toEqual(Array<number>(10).fill(503));
    expect(res.status).toBe(202);
  });
});
