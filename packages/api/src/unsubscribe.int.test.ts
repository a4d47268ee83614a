/** The unsubscribe routes over the real audience table (dynalite), driven through HTTP. */
import { randomBytes } from 'node:crypto';
import {
  createDynamoPreferenceStore,
  createDynamoRecipientStore,
  ensureAudienceTable,
} from '@herald/aws';
import { createEmulatorClients } from '@herald/aws/testing';
import type { AwsClients } from '@herald/aws';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import { createUnsubscribeTokens, type UnsubscribeTarget } from '@herald/guards';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const OTHER_TOPIC = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const secret = randomBytes(32).toString('base64');
const tokens = createUnsubscribeTokens(secret);
const ONE_CLICK = 'List-Unsubscribe=One-Click';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const link = (t: Partial<UnsubscribeTarget> = {}) =>
  `/v1/unsubscribe/${tokens.sign({ clientId: 'client-a', recipientId: 'alice', topicId: TOPIC, ...t })}`;
const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: ['audience:read', 'audience:write'] },
  'b.b.b': { clientId: 'client-b', scopes: ['audience:read', 'audience:write'] },
});

let emulators: EmulatorsProcess;
let clients: AwsClients;
let tableName: string;
let app: TestApp;

beforeAll(async () => {
  emulators = await startEmulatorsProcess();
  clients = createEmulatorClients(emulators);
});

afterAll(async () => {
  clients?.dynamodb.destroy();
  clients?.sqs.destroy();
  clients?.sns.destroy();
  await emulators?.stop();
});

beforeEach(async () => {
  tableName = `unsub-${randomBytes(4).toString('hex')}`;
  await ensureAudienceTable({ dynamodb: clients.dynamodb, tableName });
  const preferences = createDynamoPreferenceStore({ doc: clients.doc, tableName });
  app = await startTestApp({
    verifier,
    recipients: createDynamoRecipientStore({ doc: clients.doc, tableName }),
    preferences,
    unsubscribe: { verify: (t) => tokens.verify(t), preferences, clock: { now: () => new Date() } },
  });
  for (const token of ['a.a.a', 'b.b.b']) {
    await call('PUT', '/v1/recipients/alice', { token, json: { email: 'alice@example.com' } });
  }
});

afterEach(async () => {
  await app.close();
});

function call(
  method: string,
  path: string,
  o: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
) {
  return fetch(`${app.base}${path}`, {
    method,
    headers: {
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(o.json === undefined ? {} : { 'content-type': 'application/json' }),
      ...o.headers,
    },
    ...(o.json === undefined ? {} : { body: JSON.stringify(o.json) }),
    ...(o.body === undefined ? {} : { body: o.body }),
  });
}

async function prefsOf(token = 'a.a.a') {
  const res = await call('GET', '/v1/recipients/alice/preferences', { token });
  const body: unknown = await res.json();
  return { body, etag: res.headers.get('etag') };
}

describe('/v1/unsubscribe/:token', () => {
  it('GET shows a confirmation page with safe headers and changes nothing', async () => {
    const before = await prefsOf();

    const res = await call('GET', link());
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('<form method="post">');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await prefsOf()).toEqual(before);
  });

  it('POST with the one-click body opts out of the topic email, keeping other choices', async () => {
    const kept = { channels: { sms: false }, topics: { [OTHER_TOPIC]: { push: false } } };
    await call('PUT', '/v1/recipients/alice/preferences', { token: 'a.a.a', json: kept });

    const res = await call('POST', link(), { body: ONE_CLICK, headers: FORM });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await prefsOf()).body).toEqual({
      ...kept,
      topics: { ...kept.topics, [TOPIC]: { email: false } },
    });
  });

  it('POST again is 200 and writes nothing more', async () => {
    await call('POST', link(), { body: ONE_CLICK, headers: FORM });
    const once = await prefsOf();

    const again = await call('POST', link(), { body: ONE_CLICK, headers: FORM });

    expect(again.status).toBe(200);
    expect(await prefsOf()).toEqual(once);
  });

  it('accepts the field as multipart/form-data too (RFC 8058 allows either)', async () => {
    const boundary = 'xYzZY';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;

    const res = await call('POST', link(), {
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });

    expect(res.status).toBe(200);
    expect((await prefsOf()).body).toEqual({ topics: { [TOPIC]: { email: false } } });
  });

  it('answers 404 to forged, tampered, foreign-secret and malformed tokens, changing nothing', async () => {
    const before = await prefsOf();
    const token = link().split('/').at(-1) ?? '';
    const raw = Buffer.from(token, 'base64url');
    raw[raw.length - 2] = (raw[raw.length - 2] ?? 0) ^ 1;
    const foreign = createUnsubscribeTokens(randomBytes(32).toString('hex')).sign({
      clientId: 'client-a',
      recipientId: 'alice',
      topicId: TOPIC,
    });
    const bad = [raw.toString('base64url'), foreign, 'nope', 'A'.repeat(2000), token.slice(0, -3)];

    for (const t of bad) {
      for (const method of ['GET', 'POST']) {
        const post = method === 'POST' ? { body: ONE_CLICK, headers: FORM } : {};
        const res = await call(method, `/v1/unsubscribe/${t}`, post);
        expect([method, t, res.status]).toEqual([method, t, 404]);
      }
    }
    expect(await prefsOf()).toEqual(before);
  });

  it("cannot touch another client's recipient of the same id", async () => {
    const before = await prefsOf('a.a.a');

    const res = await call('POST', link({ clientId: 'client-b' }), {
      body: ONE_CLICK,
      headers: FORM,
    });

    expect(res.status).toBe(200);
    expect((await prefsOf('b.b.b')).body).toEqual({ topics: { [TOPIC]: { email: false } } });
    expect(await prefsOf('a.a.a')).toEqual(before);
  });

  it('answers 200 for a recipient erased since, and creates nothing for them', async () => {
    await call('DELETE', '/v1/recipients/alice', { token: 'a.a.a' });

    const res = await call('POST', link(), { body: ONE_CLICK, headers: FORM });

    expect(res.status).toBe(200);
    expect((await call('GET', '/v1/recipients/alice', { token: 'a.a.a' })).status).toBe(404);
    await call('PUT', '/v1/recipients/alice', { token: 'a.a.a', json: {} });
    expect((await prefsOf()).body).toEqual({});
  });

  it('answers 400 to a POST without the one-click body, and 405 to other methods', async () => {
    const before = await prefsOf();

    const none = await call('POST', link());
    const wrong = await call('POST', link(), { body: 'List-Unsubscribe=Yes', headers: FORM });
    const json = await call('POST', link(), { json: { 'List-Unsubscribe': 'One-Click' } });
    const put = await call('PUT', link());

    expect([none.status, wrong.status, json.status, put.status]).toEqual([400, 400, 400, 405]);
    expect(await prefsOf()).toEqual(before);
  });

  it('answers 413 to a large body, never 5xx', async () => {
    const res = await call('POST', link(), {
      body: `${ONE_CLICK}&x=${'y'.repeat(10_000)}`,
      headers: FORM,
    });

    expect(res.status).toBe(413);
  });
});
