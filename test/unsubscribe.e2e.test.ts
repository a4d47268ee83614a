/**
 * One-click unsubscribe (issue 14, "Preferences, quiet hours, unsubscribe") through the built api
 * and worker against dynalite and a real SMTP server: a topic's email (a notification whose
 * audience names a recipient and a topic, as the fan-out creates them) arrives with
 * `List-Unsubscribe` and `List-Unsubscribe-Post`, and POSTing the header's URL with the RFC 8058
 * body opts the recipient out of that topic's email, as their preferences then show.
 */
import { createDynamoNotificationStore, createSqsNotificationQueue } from '@herald/aws';
import { newNotificationId, type NotificationRecord } from '@herald/core';
import { headerOf, parseMail } from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

let stack: HeraldStack;
let token: string;

beforeAll(async () => {
  stack = await startHeraldStack({ publicUrl: true });
  token = await stack.issueToken('shop', 'audience:read,audience:write,notifications:read');
});

afterAll(async () => {
  await stack?.stop();
});

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Stores an email notification linked to `audience` and enqueues it, as the fan-out will. */
async function sendLinked(audience: NotificationRecord['audience']): Promise<string> {
  const now = new Date().toISOString();
  const record: NotificationRecord = {
    id: newNotificationId(),
    clientId: 'shop',
    channel: 'email',
    request: { channel: 'email', to: 'alice@example.com', subject: 'Disk full', text: 'On db-1.' },
    requestHash: 'e2e',
    status: 'Pending',
    createdAt: now,
    updatedAt: now,
    attempts: 0,
    events: [{ at: now, type: 'accepted' }],
    ...(audience ? { audience } : {}),
  };
  const { clients, tableName, queueUrl } = stack.infra;
  await createDynamoNotificationStore({ doc: clients.doc, tableName }).create(record, now);
  await createSqsNotificationQueue({ sqs: clients.sqs, queueUrl }).enqueue([record.id]);
  return record.id;
}

async function mailOf(id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const raw = stack.smtp.messages.find((m) => m.raw.includes(id))?.raw;
    if (raw !== undefined) return parseMail(raw);
    if (Date.now() > deadline) throw new Error(`no mail for ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('one-click unsubscribe, end to end', () => {
  it("a topic's email carries the headers, and POSTing its link opts the recipient out", async () => {
    expect((await api('PUT', '/v1/recipients/alice', { email: 'alice@example.com' })).status).toBe(
      201,
    );
    const topic = (await (await api('POST', '/v1/topics', { name: 'db alerts' })).json()) as {
      id: string;
    };
    await api('PUT', '/v1/recipients/alice/preferences', { channels: { sms: false } });

    const id = await sendLinked({ recipientId: 'alice', topicId: topic.id, parentId: 'ntf_p' });
    const mail = await mailOf(id);

    const listUnsubscribe = headerOf(mail, 'list-unsubscribe') ?? '';
    expect(headerOf(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const url = /^<(.+)>$/.exec(listUnsubscribe)?.[1] ?? '';
    expect(url.startsWith(`${stack.apiUrl}/v1/unsubscribe/`)).toBe(true);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await (await api('GET', '/v1/recipients/alice/preferences')).json()).toEqual({
      channels: { sms: false },
    });

    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await (await api('GET', '/v1/recipients/alice/preferences')).json()).toEqual({
      channels: { sms: false },
      topics: { [topic.id]: { email: false } },
    });

    const forged = await fetch(`${url.slice(0, -4)}AAAA`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(forged.status).toBe(404);
  });

  it('gives no unsubscribe header to an email outside a topic', async () => {
    const direct = await mailOf(await sendLinked(undefined));
    const toRecipient = await mailOf(await sendLinked({ recipientId: 'alice' }));

    expect(headerOf(direct, 'list-unsubscribe')).toBeUndefined();
    expect(headerOf(toRecipient, 'list-unsubscribe')).toBeUndefined();
  });
});
