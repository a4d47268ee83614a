import { createHeraldClient, type HeraldClient } from '@herald/client';
import type { NotificationView } from '@herald/core';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { startHttpRecorder, type HttpRecorder } from './support/peers';

jest.setTimeout(120_000);

/** How far ahead each test schedules: long enough to act before it, short enough to wait for. */
const AHEAD_MS = 3_000;
/** "Within a few seconds after sendAt". */
const MAX_LATENESS_MS = 3_000;
/** HERALD_SWEEP_AFTER_SECONDS in the test stack: how late the sweep recovers a lost message. */
const SWEEP_AFTER_MS = 3_000;

let stack: HeraldStack;
let client: HeraldClient;
let token: string;
let hooks: HttpRecorder;

beforeAll(async () => {
  hooks = await startHttpRecorder(() => ({ status: 204 }));
  // Status events and callbacks on, and local mode so the callback may go to loopback.
  stack = await startHeraldStack({
    statusEvents: true,
    apiEnv: { HERALD_LOCAL_MODE: 'true' },
    workerEnv: { HERALD_LOCAL_MODE: 'true' },
  });
  token = await stack.issueToken('scheduled-test');
  client = createHeraldClient({ baseUrl: stack.apiUrl, token });
});

afterAll(async () => {
  await stack?.stop();
  await hooks?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The SMTP messages the worker sent for notification `id`. */
function mailsFor(id: string) {
  return stack.smtp.messages.filter((m) => m.raw.toString().includes(id));
}

async function schedule(subject: string, aheadMs = AHEAD_MS, callbackUrl?: string) {
  const sendAt = new Date(Date.now() + aheadMs).toISOString();
  const accepted = await client.sendNotificationAsync({
    channel: 'email',
    to: 'ada@example.com',
    subject,
    text: 'scheduled',
    sendAt,
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
  });
  return { id: accepted.id, sendAt: Date.parse(sendAt) };
}

function eventAt(view: NotificationView, type: string): number {
  const event = view.events.find((e) => e.type === type);
  if (event === undefined) throw new Error(`no ${type} event in ${JSON.stringify(view.events)}`);
  return Date.parse(event.at);
}

/** Claim and send lateness after sendAt, in ms, from the worker's own events. */
function lateness(view: NotificationView, sendAt: number) {
  return {
    claim: eventAt(view, 'attempt_started') - sendAt,
    sent: eventAt(view, 'provider_accepted') - sendAt,
  };
}

describe('scheduled notifications (sendAt) through the real api and worker', () => {
  it('sends nothing before sendAt and delivers within a few seconds after it', async () => {
    const { id, sendAt } = await schedule('on time');
    const accepted = await client.getNotificationStatus(id);
    expect(accepted.events.map((e) => e.type)).toEqual(['accepted', 'scheduled']);

    await sleep(Math.max(0, sendAt - Date.now() - 300));
    expect(mailsFor(id)).toEqual([]);
    expect((await client.getNotificationStatus(id)).attempts).toBe(0);

    const final = await client.waitForStatus(id, { timeoutMs: 30_000 });
    const late = lateness(final, sendAt);
    process.stdout.write(
      `scheduled: claimed ${late.claim} ms and sent ${late.sent} ms after sendAt (${AHEAD_MS} ms ahead)\n`,
    );
    expect(final.status).toBe('Delivered');
    expect(mailsFor(id)).toHaveLength(1);
    expect(late.claim).toBeGreaterThanOrEqual(0);
    expect(late.sent).toBeLessThan(MAX_LATENESS_MS);

    // Once Delivered it can no longer be cancelled.
    const conflict = await client.cancelNotification(id).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409, code: 'CONFLICT' });
  });

  it('never sends one cancelled before its sendAt, ends it Refused cancelled and calls back', async () => {
    const { id, sendAt } = await schedule('cancelled', AHEAD_MS, `${hooks.url}/cancelled`);

    const cancelled = await client.cancelNotification(id);
    expect(cancelled).toMatchObject({ status: 'Refused', reason: { code: 'cancelled' } });
    // The final status goes out as for any other: status event, then the signed callback.
    const callback = await hooks.waitFor((req) => req.url === '/cancelled', 15_000);
    expect(JSON.parse(callback.body)).toMatchObject({
      id,
      status: 'Refused',
      reason: { code: 'cancelled' },
    });
    expect(callback.headers['herald-event-id']).toBe(`${id}:Refused`);

    // Past sendAt and a sweep delay (3 s in tests): the queued message has come and gone.
    await sleep(sendAt - Date.now() + 5_000);
    expect(mailsFor(id)).toEqual([]);
    expect(await client.getNotificationStatus(id)).toMatchObject({
      status: 'Refused',
      reason: { code: 'cancelled' },
      attempts: 0,
    });
    const again = await client.cancelNotification(id).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 409 });
  });

  it('answers 404 to another client cancelling, and leaves the notification alone', async () => {
    const { id } = await schedule('not theirs', 60_000);
    const other = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('someone-else'),
    });

    const err = await other.cancelNotification(id).catch((e: unknown) => e);

    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await client.getNotificationStatus(id)).status).toBe('Pending');
    await client.cancelNotification(id);
  });

  it('still delivers after sendAt when the worker is restarted in between, at worst by the sweep', async () => {
    const { id, sendAt } = await schedule('worker restart', 4_000);
    // The stopped worker's long-poll stays open at the queue (fauxqs, like SQS, does not notice
    // the client left) and may take the message when it appears: the sweep then recovers it at
    // sendAt + the sweep delay (3 s in tests). Any message arriving then would fare the same.
    await stack.worker.stop();
    await sleep(1_000);
    stack.worker = await stack.startWorker();

    const final = await client.waitForStatus(id, { timeoutMs: 30_000 });

    const late = lateness(final, sendAt);
    process.stdout.write(
      `scheduled across a worker restart: claimed ${late.claim} ms and sent ${late.sent} ms after sendAt\n`,
    );
    expect(final.status).toBe('Delivered');
    expect(mailsFor(id)).toHaveLength(1);
    expect(late.claim).toBeGreaterThanOrEqual(0);
    expect(late.sent).toBeLessThan(SWEEP_AFTER_MS + MAX_LATENESS_MS);
  });

  it('still delivers after sendAt when the worker is SIGKILLed in between, at worst by the sweep', async () => {
    const { id, sendAt } = await schedule('worker crash', 4_000);
    await stack.worker.kill();
    await sleep(1_000);
    stack.worker = await stack.startWorker();

    const final = await client.waitForStatus(id, { timeoutMs: 30_000 });

    const late = lateness(final, sendAt);
    process.stdout.write(
      `scheduled across a worker SIGKILL: claimed ${late.claim} ms and sent ${late.sent} ms after sendAt\n`,
    );
    expect(final.status).toBe('Delivered');
    expect(mailsFor(id)).toHaveLength(1);
    expect(late.claim).toBeGreaterThanOrEqual(0);
    expect(late.sent).toBeLessThan(SWEEP_AFTER_MS + MAX_LATENESS_MS);
  });
});
