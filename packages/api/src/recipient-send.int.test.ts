/**
 * `POST /v1/notifications` naming a recipient, against dynalite: the real notification store and
 * the real audience table, so resolution, idempotency and tenant isolation are those of the
 * deployed api.
 */
import {
  createDynamoNotificationStore,
  createDynamoRecipientStore,
  ensureAudienceTable,
} from '@herald/aws';
import { createTestInfrastructure, type TestInfrastructure } from '@herald/aws/testing';
import { deviceIdOf, type NotificationStore, type RecipientStore } from '@herald/core';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: ['notifications:send', 'notifications:read'] },
  'b.b.b': { clientId: 'client-b', scopes: ['notifications:send', 'notifications:read'] },
  'w.w.w': { clientId: 'client-a', scopes: ['audience:read', 'audience:write'] },
});
const OLD = {
  webPush: { endpoint: 'https://push.example.com/old', keys: { p256dh: 'BNc', auth: 'tBH' } },
};
const NEW = {
  webPush: { endpoint: 'https://push.example.com/new', keys: { p256dh: 'BNd', auth: 'tBI' } },
};

let emulators: EmulatorsProcess;
let infra: TestInfrastructure;
let store: NotificationStore;
let recipients: RecipientStore;
let app: TestApp;

beforeAll(async () => {
  emulators = await startEmulatorsProcess();
  infra = await createTestInfrastructure(emulators, { prefix: 'recipient-send' });
  const audienceTable = `${infra.tableName}-audience`;
  await ensureAudienceTable({ dynamodb: infra.clients.dynamodb, tableName: audienceTable });
  store = createDynamoNotificationStore({ doc: infra.clients.doc, tableName: infra.tableName });
  recipients = createDynamoRecipientStore({ doc: infra.clients.doc, tableName: audienceTable });
  // client-a may use the Slack webhook `ops`; client-b no named webhook.
  const settings = {
    clientId: 'client-a',
    allowedSlackWebhooks: ['ops'],
    limits: {},
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  app = await startTestApp({
    verifier,
    recipients,
    wrapStore: () => store,
    clientSettings: {
      get: (clientId) => Promise.resolve(clientId === 'client-a' ? settings : undefined),
    },
  });
  const now = app.clock.now().toISOString();
  const put = (recipientId: string, profile: object) =>
    recipients.putProfile({
      clientId: 'client-a',
      recipientId,
      profile,
      precondition: { kind: 'none' },
      now,
    });
  await put('alice', {
    email: 'alice@example.com',
    phone: '+4791234567',
    slack: { userId: 'U024BE7LH' },
  });
  await put('nobody', { name: 'No addresses' });
  await put('ops', { slack: { webhook: 'ops' } });
  const device = (target: typeof OLD, at: string) =>
    recipients.addDevice({
      clientId: 'client-a',
      recipientId: 'alice',
      deviceId: deviceIdOf(target),
      target,
      now: at,
    });
  await device(OLD, '2026-01-01T00:00:00.000Z');
  await device(NEW, '2026-01-01T00:00:01.000Z');
});

afterAll(async () => {
  await app?.close();
  infra?.destroy();
  await emulators?.stop();
});

function send(body: unknown, options: { token?: string; key?: string } = {}) {
  return fetch(`${app.base}/v1/notifications`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.token ?? 'a.a.a'}`,
      'content-type': 'application/json',
      ...(options.key ? { 'idempotency-key': options.key } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function accepted(res: Response) {
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const record = await store.get(id);
  if (!record) throw new Error('not stored');
  return record;
}

const email = { channel: 'email', recipient: 'alice', subject: 'Hi', text: 'Hello' };

describe('POST /v1/notifications with a recipient', () => {
  it('stores the resolved address with the audience link, and shows the recipient', async () => {
    const record = await accepted(await send(email));
    expect(record.request).toMatchObject({ channel: 'email', to: 'alice@example.com' });
    expect(record.audience).toEqual({ recipientId: 'alice' });
    const view = await fetch(`${app.base}/v1/notifications/${record.id}`, {
      headers: { authorization: 'Bearer a.a.a' },
    });
    expect(await view.json()).toMatchObject({ id: record.id, recipient: 'alice' });
  });

  it('resolves every channel: sms, slack by user id or webhook, push to the newest device', async () => {
    const sms = await accepted(await send({ channel: 'sms', recipient: 'alice', body: 'Code 1' }));
    expect(sms.request.to).toBe('+4791234567');
    const dm = await accepted(await send({ channel: 'slack', recipient: 'alice', text: 'Hi' }));
    expect(dm.request.to).toEqual({ conversation: 'U024BE7LH' });
    const hook = await accepted(await send({ channel: 'slack', recipient: 'ops', text: 'Hi' }));
    expect(hook.request.to).toEqual({ webhook: 'ops' });
    const push = await accepted(
      await send({ channel: 'push', recipient: 'alice', title: 'T', body: 'B', critical: true }),
    );
    expect(push.request).toMatchObject({ to: NEW, critical: true });
    expect(push.audience).toEqual({ recipientId: 'alice', deviceId: deviceIdOf(NEW) });
  });

  it('answers 404 for an unknown recipient and 422 NO_ADDRESS for a channel it has no address on', async () => {
    const unknown = await send({ ...email, recipient: 'zoe' });
    expect(unknown.status).toBe(404);
    const noEmail = await send({ ...email, recipient: 'nobody' });
    expect(noEmail.status).toBe(422);
    expect(await noEmail.json()).toMatchObject({ error: { code: 'NO_ADDRESS' } });
    const noDevice = await send({ channel: 'push', recipient: 'nobody', title: 'T', body: 'B' });
    expect(noDevice.status).toBe(422);
    const noWhatsapp = await send({ channel: 'whatsapp', recipient: 'alice', body: 'Hi' });
    expect(noWhatsapp.status).toBe(422);
  });

  it('answers 400 listing the problem for both, neither, a bad id or a bad body; stores nothing', async () => {
    const before = (await store.listByClient('client-a', { limit: 100 })).items.length;
    const cases: [unknown, string][] = [
      [{ ...email, to: 'alice@example.com' }, 'to'],
      [{ channel: 'email', subject: 'Hi', text: 'Hello' }, 'to'],
      [{ ...email, recipient: 'not/valid' }, 'recipient'],
      [{ ...email, recipient: 42 }, 'recipient'],
      [{ ...email, channel: 'fax' }, 'channel'],
      [{ channel: 'email', recipient: 'alice', subject: 'Hi' }, 'text'],
    ];
    for (const [body, path] of cases) {
      const res = await send(body);
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { error: { details: { path: string }[] } };
      expect(answer.error.details.map((d) => d.path)).toContain(path);
    }
    expect((await store.listByClient('client-a', { limit: 100 })).items).toHaveLength(before);
  });

  it('reports a resolved address the checks refuse on recipient (a webhook the client may not use)', async () => {
    await recipients.putProfile({
      clientId: 'client-b',
      recipientId: 'ops',
      profile: { slack: { webhook: 'ops' } },
      precondition: { kind: 'none' },
      now: app.clock.now().toISOString(),
    });

    const res = await send({ channel: 'slack', recipient: 'ops', text: 'Hi' }, { token: 'b.b.b' });

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'recipient' }] },
    });
  });

  it("is 404 for another client's recipient, whatever the body", async () => {
    expect((await send(email, { token: 'b.b.b' })).status).toBe(404);
    expect((await send({ ...email, recipient: 'nobody' }, { token: 'b.b.b' })).status).toBe(404);
  });

  it('replays a keyed retry even after the recipient changed or was erased; another body is 422', async () => {
    await recipients.putProfile({
      clientId: 'client-a',
      recipientId: 'carol',
      profile: { email: 'carol@example.com' },
      precondition: { kind: 'none' },
      now: app.clock.now().toISOString(),
    });
    const body = { ...email, recipient: 'carol' };
    const first = await accepted(await send(body, { key: 'carol-1' }));
    await recipients.putProfile({
      clientId: 'client-a',
      recipientId: 'carol',
      profile: { email: 'carol@new.example.com' },
      precondition: { kind: 'none' },
      now: app.clock.now().toISOString(),
    });
    // The same body with its keys in another order.
    const replay = await send(
      { text: 'Hello', subject: 'Hi', recipient: 'carol', channel: 'email' },
      { key: 'carol-1' },
    );
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { id: string }).id).toBe(first.id);
    await recipients.deleteRecipient('client-a', 'carol');
    expect((await send(body, { key: 'carol-1' })).status).toBe(202);
    const other = await send({ ...body, text: 'Changed' }, { key: 'carol-1' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_MISMATCH' } });
    // A new key is a new send: carol is gone now.
    expect((await send(body, { key: 'carol-2' })).status).toBe(404);
    expect((await store.get(first.id))?.request).toMatchObject({ to: 'carol@example.com' });
  });

  it('needs notifications:send, not the audience scopes', async () => {
    expect((await send(email, { token: 'w.w.w' })).status).toBe(403);
  });
});
