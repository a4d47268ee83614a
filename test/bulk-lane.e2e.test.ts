/**
 * The bulk lane's promise (issue 14, fairness): while the worker works through a large backlog of
 * topic children on the bulk queue, a direct notification's queue wait (accept → claim: its
 * `attempt_started` event minus its `accepted` event) stays under a second, because the bulk
 * consumer never holds more than HERALD_BULK_MAX_SHARE of the worker's slots.
 *
 * The children are stored and enqueued on the bulk lane directly through the store and the queue
 * (the fan-out that will create them is built separately): 3,000 of them, to a recording SMTP
 * server that holds each child's message for 60 s (a degraded provider), while direct mail is
 * answered at once. Every slot the bulk lane may take is therefore held for the whole
 * measurement, the worst case for a direct send: without the share kept for it (bulk share 1) it
 * would wait up to a minute for a slot. The measured values are printed beside the idle ones.
 */
import { createHeraldClient, type HeraldClient } from '@herald/client';
import { createDynamoNotificationStore, createSqsNotificationQueue } from '@herald/aws';
import { newNotificationId, type NotificationRecord, type NotificationView } from '@herald/core';
import { aPendingRecord, anEmailRequest } from '@herald/core/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { figure, sleep } from './support/faults';

jest.setTimeout(180_000);

const BACKLOG = 3_000;
const CONCURRENCY = 32;
/** floor(32 × 0.75): the most slots the bulk lane holds. */
const BULK_MAX = 24;
const CHILD_SEND_MS = 60_000;
const IDLE_SENDS = 5;
const BUSY_SENDS = 20;
/** The issue's bound on a direct send's queue wait during a fan-out. */
const MAX_WAIT_MS = 1_000;

let stack: HeraldStack;
let client: HeraldClient;

beforeAll(async () => {
  stack = await startHeraldStack({
    smtp: { delayMs: (to) => (to.some((a) => a.startsWith('child')) ? CHILD_SEND_MS : 0) },
    workerEnv: {
      HERALD_WORKER_CONCURRENCY: String(CONCURRENCY),
      HERALD_BULK_MAX_SHARE: '0.75',
      SMTP_MAX_CONNECTIONS: String(CONCURRENCY),
      // A child's send hangs rather than times out, so its slot stays held.
      HERALD_SEND_TIMEOUT_MS: String(CHILD_SEND_MS + 10_000),
      // The sweeper is not what this measures: nothing is lost, so it never acts.
      HERALD_SWEEP_AFTER_SECONDS: '600',
    },
  });
  client = createHeraldClient({ baseUrl: stack.apiUrl, token: await stack.issueToken('direct') });
});

afterAll(async () => {
  await stack?.stop();
});

function eventAt(view: NotificationView, type: string): number | undefined {
  const event = view.events.find((e) => e.type === type);
  return event === undefined ? undefined : Date.parse(event.at);
}

/** Sends one direct email and resolves with its queue wait (attempt_started − accepted), ms. */
async function queueWait(i: number): Promise<number> {
  const { id } = await client.sendNotificationAsync({
    channel: 'email',
    to: `direct${i}@example.com`,
    subject: `direct ${i}`,
    text: 'a one-time code',
  });
  for (let tries = 0; tries < 400; tries++) {
    const view = await client.getNotificationStatus(id);
    const accepted = eventAt(view, 'accepted');
    const claimed = eventAt(view, 'attempt_started');
    if (accepted !== undefined && claimed !== undefined) return claimed - accepted;
    await sleep(50);
  }
  throw new Error(`notification ${id} was not claimed within 20 s`);
}

function child(i: number): NotificationRecord {
  const now = new Date().toISOString();
  return aPendingRecord({
    id: newNotificationId(),
    clientId: 'fan-out',
    lane: 'bulk',
    request: anEmailRequest({ to: `child${i}@example.com`, subject: `child ${i}` }),
    createdAt: now,
    updatedAt: now,
    events: [{ at: now, type: 'accepted' }],
  });
}

/** How many children a worker has claimed (read from the store; takes a few seconds). */
async function claimedChildren(
  store: ReturnType<typeof createDynamoNotificationStore>,
  children: NotificationRecord[],
): Promise<number> {
  const records = await Promise.all(children.map((c) => store.get(c.id)));
  return records.filter((r) => (r?.attempts ?? 0) > 0).length;
}

const summary = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`;
};

describe('the bulk lane keeps capacity for direct sends', () => {
  it('a direct send waits under a second for a worker while 3,000 children hold the bulk share', async () => {
    const idle: number[] = [];
    for (let i = 0; i < IDLE_SENDS; i++) idle.push(await queueWait(i));

    const store = createDynamoNotificationStore({
      doc: stack.infra.clients.doc,
      tableName: stack.infra.tableName,
    });
    const queue = createSqsNotificationQueue({
      sqs: stack.infra.clients.sqs,
      queueUrl: stack.infra.queueUrl,
      bulkQueueUrl: stack.infra.bulkQueueUrl,
    });
    const children = Array.from({ length: BACKLOG }, (_, i) => child(i));
    const sweepAt = new Date(Date.now() + 600_000).toISOString();
    await Promise.all(children.map((c) => store.create(c, sweepAt)));
    await queue.enqueue(
      children.map((c) => c.id),
      { lane: 'bulk' },
    );
    const started = Date.now();
    // Until the bulk lane has taken its share: each child's message is then held for a minute.
    for (let i = 0; i < 600 && stack.smtp.held < BULK_MAX - 4; i++) await sleep(50);
    await sleep(1_000);
    const filled = Date.now() - started;
    const before = await claimedChildren(store, children);

    const busy: number[] = [];
    for (let i = 0; i < BUSY_SENDS; i++) {
      busy.push(await queueWait(IDLE_SENDS + i));
      await sleep(100);
    }
    const elapsed = Date.now() - started;
    const inProgress = await claimedChildren(store, children);

    figure(
      `bulk lane: direct accept → claim idle ${summary(idle)}; with ${BACKLOG} children queued and ` +
        `${inProgress} of ${CONCURRENCY} slots held by children (60 s sends; ${stack.smtp.held} at the SMTP server) ${summary(busy)} ` +
        `(measured from ${filled} to ${elapsed} ms after the enqueue)`,
    );
    // Measured while every bulk slot was held, and the bulk lane never took more than its share.
    expect(elapsed).toBeLessThan(CHILD_SEND_MS);
    expect(before).toBe(BULK_MAX);
    expect(inProgress).toBe(BULK_MAX);
    expect(stack.smtp.messages.filter((m) => m.envelope.to[0]?.startsWith('child'))).toEqual([]);
    expect(Math.max(...busy)).toBeLessThan(MAX_WAIT_MS);
  });

  it('herald dlq --queue bulk finds the bulk queue’s dead-letter queue', async () => {
    expect(await stack.cli(['dlq', 'list', '--queue', 'bulk'])).toBe('');
  });
});
