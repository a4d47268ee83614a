import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createHeraldClient, type HeraldClient } from '@herald/client';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(180_000);

const GOOD = 200;
const MAX_RECEIVES = 3;

let stack: HeraldStack;
let client: HeraldClient;

beforeAll(async () => {
  stack = await startHeraldStack({
    maxReceiveCount: MAX_RECEIVES,
    // Every message at once, from one client: no rate limit or recipient cap in the way.
    apiEnv: { HERALD_RATE_LIMIT_PER_SECOND: '0', HERALD_RECIPIENT_CAP: '0' },
    workerEnv: {
      HERALD_MAX_RECEIVE_COUNT: String(MAX_RECEIVES),
      HERALD_VISIBILITY_TIMEOUT_SECONDS: '5',
      HERALD_PROCESSING_RETRY_SECONDS: '1',
    },
  });
  client = createHeraldClient({ baseUrl: stack.apiUrl, token: await stack.issueToken('shop') });
});

afterAll(async () => {
  await stack?.stop();
});

/** Sends `GOOD` emails 20 at a time; resolves with their ids and good messages per second. */
async function sendGoodTraffic(phase: string): Promise<{ ids: string[]; perSecond: number }> {
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < GOOD; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, GOOD - i) }, (_, j) =>
        client.sendNotificationAsync({
          channel: 'email',
          to: `${phase}-${i + j}@example.com`,
          subject: phase,
          text: 'hi',
        }),
      ),
    );
    ids.push(...batch.map((n) => n.id));
  }
  const wanted = new Set(ids);
  for (let waited = 0; ; waited += 20) {
    const seen = stack.smtp.messages.filter((m) =>
      [...wanted].some((id) => m.raw.includes(id)),
    ).length;
    if (seen >= GOOD) break;
    if (waited > 60_000) throw new Error(`${phase}: only ${seen} of ${GOOD} delivered`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ids, perSecond: GOOD / ((performance.now() - started) / 1000) };
}

/** The stored item's status and reason, read raw: the poison's item does not parse. */
async function rawStatus(id: string): Promise<{ status?: string; reason?: string }> {
  const res = await stack.infra.clients.dynamodb.send(
    new GetItemCommand({
      TableName: stack.infra.tableName,
      Key: { pk: { S: `N#${id}` } },
      ConsistentRead: true,
    }),
  );
  return { status: res.Item?.status?.S, reason: res.Item?.reason?.M?.code?.S };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function queueDepth(url: string): Promise<number> {
  const res = await stack.infra.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

const dlqLines = async () =>
  (await stack.cli(['dlq', 'list']))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { messageId: string; notificationId: string });

describe('a poison message', () => {
  it('ends Refused processing_failed in the DLQ while good traffic keeps flowing', async () => {
    // Both measured phases start on a freshly started worker (the poisoned one must: the poison
    // is corrupted while no worker runs), after a warm-up of the api and the SMTP server.
    await sendGoodTraffic('warmup');
    await stack.worker.stop();
    stack.worker = await stack.startWorker();
    const baseline = await sendGoodTraffic('baseline');

    // A real poison: a Pending notification whose stored request no longer parses, so every
    // receive throws. The worker is stopped while it is corrupted, so it is never claimed first.
    await stack.worker.stop();
    const poison = await client.sendNotificationAsync({
      channel: 'email',
      to: 'poison@example.com',
      text: 'never sent',
    });
    await stack.infra.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: stack.infra.tableName,
        Key: { pk: { S: `N#${poison.id}` } },
        UpdateExpression: 'SET req = :bad',
        ExpressionAttributeValues: { ':bad': { S: 'not json' } },
      }),
    );
    stack.worker = await stack.startWorker();
    const withPoison = await sendGoodTraffic('poisoned');

    const ratio = withPoison.perSecond / baseline.perSecond;
    process.stdout.write(
      `poison: good traffic ${baseline.perSecond.toFixed(1)}/s without, ` +
        `${withPoison.perSecond.toFixed(1)}/s with a poison message (ratio ${ratio.toFixed(2)})\n`,
    );
    const refused = await until('the poison to be refused', async () => {
      const s = await rawStatus(poison.id);
      return s.status === 'Refused' ? s : undefined;
    });
    const dead = await until('the poison in the DLQ', async () => {
      const lines = await dlqLines();
      return lines.some((l) => l.notificationId === poison.id) ? lines : undefined;
    });
    const finals = await Promise.all(
      withPoison.ids.map((id) => client.waitForStatus(id, { timeoutMs: 20_000 })),
    );

    expect(refused).toEqual({ status: 'Refused', reason: 'processing_failed' });
    expect(dead.every((l) => l.notificationId === poison.id)).toBe(true);
    expect(finals.every((f) => f.status === 'Delivered')).toBe(true);
    expect(stack.smtp.messages.some((m) => m.raw.includes(poison.id))).toBe(false);
    expect(ratio).toBeGreaterThanOrEqual(0.5);

    // Redriven, it meets a notification that is already final, and is dropped.
    const redriven = await stack.cli(['dlq', 'redrive', '--all']);
    expect(redriven).toContain(poison.id);
    // The worker receives the redriven message, finds the notification final and drops it. Checked
    // through the worker's own log line for this id, not through queue depths, which also count
    // unrelated hidden messages on a loaded machine.
    const dropped = new RegExp(`"notificationId":"${poison.id}".*dropping the message`);
    await stack.worker.waitForLine(dropped, 90_000);
    await until(
      'the DLQ to be empty',
      async () => ((await queueDepth(stack.infra.dlqUrl)) === 0 ? true : undefined),
      90_000,
    );
    expect(await rawStatus(poison.id)).toEqual(refused);
  });
});
