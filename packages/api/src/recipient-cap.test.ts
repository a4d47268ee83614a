import { AppError } from '@herald/core';
import {
  anEmailRequest,
  anSmsRequest,
  FixedClock,
  type InMemoryNotificationStore,
} from '@herald/core/testing';
import { createRecipientCap } from './recipient-cap';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const WINDOW_MS = 3_600_000;
const verifier = fixedTokens({ 'a.a.a': { clientId: 'client-a', scopes: ['notifications:send'] } });

let app: TestApp;
let base: string;
let store: InMemoryNotificationStore;
let clock: FixedClock;
let storeDown: boolean;

beforeEach(async () => {
  storeDown = false;
  clock = new FixedClock();
  app = await startTestApp({
    verifier,
    clock,
    wrapAccept: (accept) => (input) =>
      storeDown ? Promise.reject(new AppError('UNAVAILABLE', 'store down')) : accept(input),
    recipientCap: createRecipientCap({ max: 10, windowSeconds: 3600, clock }),
  });
  ({ base, store } = app);
});

afterEach(async () => {
  await app.close();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: 'Bearer a.a.a', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function statuses(n: number, body: unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await post(body)).status);
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

  it('frees the number as the window slides past earlier messages', async () => {
    await statuses(5, anSmsRequest());
    clock.advance(WINDOW_MS / 2);
    await statuses(5, anSmsRequest());

    const full = await post(anSmsRequest());
    clock.advance(WINDOW_MS / 2);
    const freed = await statuses(6, anSmsRequest());

    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBe('1800');
    expect(freed).toEqual([202, 202, 202, 202, 202, 429]);
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

describe('createRecipientCap', () => {
  it('gives the count back when the undo is called, once', () => {
    const cap = createRecipientCap({ max: 2, windowSeconds: 60, clock: new FixedClock() });
    cap.take(anSmsRequest());
    const undo = cap.take(anSmsRequest());

    undo();
    undo();
    cap.take(anSmsRequest());

    expect(() => cap.take(anSmsRequest())).toThrow(
      expect.objectContaining({ code: 'RATE_LIMITED' }) as Error,
    );
  });

  it('forgets the least recently messaged number past maxRecipients', () => {
    const cap = createRecipientCap({
      max: 1,
      windowSeconds: 60,
      clock: new FixedClock(),
      maxRecipients: 1,
    });
    cap.take(anSmsRequest());

    cap.take(anSmsRequest({ to: '+447400123999' }));

    expect(() => cap.take(anSmsRequest())).not.toThrow();
  });
});
