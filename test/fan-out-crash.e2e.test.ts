/**
 * The fan-out survives worker kills (issue 14, "Fan-out that never loses or doubles a child"):
 * while the worker fans a topic send out to 2,000 subscribers, it is SIGKILLed again and again
 * and restarted. Every (recipient, channel) still gets exactly one child, every child is
 * delivered, the parent's summary is exact, and a second SMTP send happens only for a child whose
 * attempt a kill cut short (the documented crash window).
 */
import { createDynamoRecipientStore, createDynamoTopicStore } from '@herald/aws';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { figure, sendsPerId, sleep } from './support/faults';

jest.setTimeout(240_000);

const SUBSCRIBERS = 2_000;
const KILLS = 4;
const CLIENT = 'fan-out-crash';

interface ParentView {
  status: string;
  fanOut: {
    recipients: number;
    children: { Pending: number; Delivered: number; Refused: number };
    complete: boolean;
  };
}

let stack: HeraldStack;
let token: string;

beforeAll(async () => {
  // A little SMTP latency so kills land while children are being sent too.
  stack = await startHeraldStack({ smtp: { delayMs: 5 } });
  token = await stack.issueToken(CLIENT, 'notifications:send,notifications:read');
});

afterAll(async () => {
  await stack?.stop();
});

async function get<T>(url: string): Promise<T> {
  const res = await fetch(`${stack.apiUrl}${url}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as T;
}

/** The topic and its subscribers, written straight to the audience table (not what is tested). */
async function aTopicOf(n: number): Promise<string> {
  const table = {
    doc: stack.infra.clients.doc,
    tableName: String(stack.env.HERALD_AUDIENCE_TABLE_NAME),
  };
  const topics = createDynamoTopicStore(table);
  const recipients = createDynamoRecipientStore(table);
  const topicId = crypto.randomUUID();
  const now = new Date().toISOString();
  await topics.createTopic({ clientId: CLIENT, topicId, name: 'everyone', now });
  const add = async (i: number) => {
    const recipientId = `user-${String(i).padStart(4, '0')}`;
    await recipients.putProfile({
      clientId: CLIENT,
      recipientId,
      profile: { email: `${recipientId}@example.com` },
      precondition: { kind: 'none' },
      now,
    });
    await topics.subscribe({ clientId: CLIENT, topicId, recipientId, now });
  };
  for (let i = 0; i < n; i += 25) {
    await Promise.all(Array.from({ length: Math.min(25, n - i) }, (_, k) => add(i + k)));
  }
  return topicId;
}

it('gives every subscriber exactly one child although the worker is SIGKILLed during the fan-out', async () => {
  const topicId = await aTopicOf(SUBSCRIBERS);
  const res = await fetch(`${stack.apiUrl}/v1/topics/${topicId}/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Maintenance tonight', body: 'From 22:00', channels: ['email'] }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };

  // Kill the worker while pages are being fanned out: each time after a little progress.
  let kills = 0;
  let lastChildren = -1;
  while (kills < KILLS) {
    const view = await get<ParentView>(`/v1/notifications/${id}`);
    if (view.fanOut.complete) break;
    const created = view.fanOut.children.Pending + view.fanOut.children.Delivered;
    if (created > lastChildren) {
      await sleep(100 + Math.random() * 400);
      await stack.worker.kill();
      stack.worker = await stack.startWorker();
      kills += 1;
      lastChildren = created;
    }
    await sleep(200);
  }

  let final: ParentView | undefined;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(1_000)) {
    final = await get<ParentView>(`/v1/notifications/${id}`);
    if (final.status !== 'Pending') break;
  }
  const children: { id: string; recipient: string; channel: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<{ items: typeof children; nextCursor?: string }>(
      `/v1/notifications/${id}/children?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    children.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const sends = sendsPerId(stack.smtp);
  const duplicates = [...sends.values()].filter((n) => n > 1).length;
  figure(
    `fan-out crash: ${SUBSCRIBERS} subscribers, ${kills} SIGKILLs during the fan-out, ` +
      `${children.length} children, ${duplicates} duplicate SMTP sends`,
  );

  expect(kills).toBeGreaterThan(0);
  expect(final).toMatchObject({
    status: 'Delivered',
    fanOut: {
      recipients: SUBSCRIBERS,
      children: { Pending: 0, Delivered: SUBSCRIBERS, Refused: 0 },
      complete: true,
    },
  });
  expect(children).toHaveLength(SUBSCRIBERS);
  expect(new Set(children.map((c) => c.id)).size).toBe(SUBSCRIBERS);
  expect(new Set(children.map((c) => `${c.recipient}:${c.channel}`)).size).toBe(SUBSCRIBERS);
  expect(children.every((c) => (sends.get(c.id) ?? 0) >= 1)).toBe(true);
  // A second send only for a child whose attempt a kill cut short (at most the worker's slots).
  expect(duplicates).toBeLessThanOrEqual(kills * 32);
});
