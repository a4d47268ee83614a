/**
 * A topic send end to end (issue 14, "Done when"): three recipients with different profiles,
 * devices and preferences subscribe to a topic; one `POST /v1/topics/:id/notifications` reaches
 * each of them on each chosen channel through the built api and worker processes and real
 * protocol peers on 127.0.0.1 (the SMTP sink, the Twilio stand-in driven by the Twilio SDK, an
 * HTTPS web push service whose payload is decrypted, the APNs HTTP/2 stand-in, the FCM
 * stand-in), skips what they opted out of, and settles the parent with an exact summary.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateVapidKeys } from '@herald/providers';
import {
  createSubscription,
  generateApnsKey,
  headerOf,
  parseMail,
  startFcmServer,
  startTestApnsServer,
  startTestPushService,
  startTwilioRecorder,
  type FcmServer,
  type TestApnsServer,
  type TestPushService,
  type TwilioRecorder,
} from '@herald/providers/testing';
import { eventually } from './support/peers';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(90_000);

const BUNDLE = 'net.herald.e2e';
const APNS_TOKEN = 'ab'.repeat(32);
const FCM_TOKEN = 'carol-phone:APA91b_installed_app_0001';

interface TopicSendView {
  id: string;
  kind: 'topic';
  status: string;
  reason?: { code: string };
  fanOut: {
    recipients: number;
    children: { Pending: number; Delivered: number; Refused: number };
    skipped: { optedOut: number; suppressed: number; noAddress: number };
    complete: boolean;
  };
}

describe('a topic send, end to end', () => {
  let stack: HeraldStack;
  let token: string;
  let twilio: TwilioRecorder;
  let pushService: TestPushService;
  let apns: TestApnsServer;
  let fcm: FcmServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-topic-'));
    const team = generateApnsKey();
    [twilio, pushService, apns, fcm] = await Promise.all([
      startTwilioRecorder(),
      startTestPushService(),
      startTestApnsServer(team, BUNDLE),
      startFcmServer(),
    ]);
    const files = {
      pushCa: path.join(dir, 'push-ca.pem'),
      apnsCa: path.join(dir, 'apns-ca.pem'),
      apnsKey: path.join(dir, `AuthKey_${team.keyId}.p8`),
    };
    await Promise.all([
      writeFile(files.pushCa, pushService.ca),
      writeFile(files.apnsCa, apns.ca),
      writeFile(files.apnsKey, team.pem),
    ]);
    const vapid = generateVapidKeys();
    stack = await startHeraldStack({
      // The unsubscribe links of topic emails point at the api.
      publicUrl: true,
      apiEnv: { HERALD_LOCAL_MODE: 'true' },
      workerEnv: {
        HERALD_LOCAL_MODE: 'true',
        // With a public URL the worker asks Twilio for receipts, which the stand-in never sends:
        // the provider's acceptance counts as delivery after this.
        HERALD_RECEIPT_TIMEOUT_SECONDS: '1',
        TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
        TWILIO_AUTH_TOKEN: 'e2e-twilio-auth-token-0123456789',
        TWILIO_FROM: '+15005550006',
        TWILIO_API_BASE_URL: twilio.url,
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        HERALD_WEB_PUSH_CA_FILE: files.pushCa,
        APNS_KEY_ID: team.keyId,
        APNS_TEAM_ID: team.teamId,
        APNS_PRIVATE_KEY: files.apnsKey,
        APNS_BUNDLE_ID: BUNDLE,
        APNS_HOST: apns.origin,
        HERALD_APNS_CA_FILE: files.apnsCa,
        FCM_SERVICE_ACCOUNT: JSON.stringify(fcm.serviceAccount),
        FCM_API_BASE_URL: fcm.url,
      },
    });
    token = await stack.issueToken(
      'topic-e2e',
      'notifications:send,notifications:read,audience:read,audience:write',
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([twilio?.close(), pushService?.close(), apns?.close(), fcm?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function call<T>(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${stack.apiUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  it('reaches every subscriber on each chosen channel, honours opt-outs, and settles the parent', async () => {
    const topic = await call<{ id: string }>('POST', '/v1/topics', { name: 'Beamline 3' });
    const topicId = topic.body.id;
    const browser = createSubscription(pushService);

    // alice: email, SMS and a browser; every channel.
    await call('PUT', '/v1/recipients/alice', {
      email: 'alice@example.com',
      phone: '+15005550010',
    });
    await call('POST', '/v1/recipients/alice/devices', { webPush: browser.subscription });
    // bob: email and an iPhone, but no email from this topic.
    await call('PUT', '/v1/recipients/bob', { email: 'bob@example.com' });
    await call('POST', '/v1/recipients/bob/devices', {
      apns: { token: APNS_TOKEN, environment: 'sandbox' },
    });
    await call('PUT', '/v1/recipients/bob/preferences', {
      topics: { [topicId]: { email: false } },
    });
    // carol: an Android phone and SMS, but no SMS at all.
    await call('PUT', '/v1/recipients/carol', { phone: '+15005550011' });
    await call('POST', '/v1/recipients/carol/devices', { fcm: { token: FCM_TOKEN } });
    await call('PUT', '/v1/recipients/carol/preferences', { channels: { sms: false } });
    for (const id of ['alice', 'bob', 'carol']) {
      expect((await call('PUT', `/v1/topics/${topicId}/subscribers/${id}`)).status).toBe(201);
    }

    const sent = await call<{ id: string; kind: string }>(
      'POST',
      `/v1/topics/${topicId}/notifications`,
      { title: 'Vacuum alarm', body: 'Beamline 3 lost vacuum', url: 'https://ops.example/b3' },
    );
    expect(sent.status).toBe(202);
    expect(sent.body.kind).toBe('topic');

    const final = await eventually(
      async () => {
        const view = (await call<TopicSendView>('GET', `/v1/notifications/${sent.body.id}`)).body;
        return view.status === 'Pending' ? undefined : view;
      },
      'the topic send settled',
      60_000,
    );
    expect(final).toMatchObject({
      status: 'Delivered',
      fanOut: {
        recipients: 3,
        children: { Pending: 0, Delivered: 5, Refused: 0 },
        skipped: { optedOut: 2, suppressed: 0, noAddress: 0 },
        complete: true,
      },
    });

    const mail = stack.smtp.messages.map((m) => m.envelope.to).flat();
    expect(mail).toContain('alice@example.com');
    expect(mail).not.toContain('bob@example.com');
    // Alice's email carries the one-click unsubscribe (RFC 8058); using it opts her out of
    // this topic's email, and of nothing else.
    const toAlice = stack.smtp.messages.find((m) => m.envelope.to.includes('alice@example.com'));
    const aliceMail = await parseMail(toAlice?.raw ?? Buffer.alloc(0));
    expect(headerOf(aliceMail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(headerOf(aliceMail, 'list-unsubscribe') ?? '')?.[1] ?? '';
    expect(link.startsWith(`${stack.apiUrl}/v1/unsubscribe/`)).toBe(true);
    const unsubscribed = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);
    expect((await call('GET', '/v1/recipients/alice/preferences')).body).toStrictEqual({
      topics: { [topicId]: { email: false } },
    });
    expect(twilio.requests.map((r) => r.form.To)).toStrictEqual(['+15005550010']);
    const pushes = pushService.pushes.filter((p) => p.subscriptionId === browser.id);
    expect(pushes).toHaveLength(1);
    expect(
      JSON.parse(browser.decrypt(pushes[0]?.body ?? Buffer.alloc(0)).toString('utf8')),
    ).toMatchObject({
      title: 'Vacuum alarm',
      body: 'Beamline 3 lost vacuum',
      url: 'https://ops.example/b3',
    });
    expect(apns.pushes.filter((p) => p.deviceToken === APNS_TOKEN)).toHaveLength(1);
    expect(fcm.messages.filter((m) => m.message.token === FCM_TOKEN)).toHaveLength(1);

    const children = await call<{
      items: { recipient: string; channel: string; status: string }[];
    }>('GET', `/v1/notifications/${sent.body.id}/children`);
    expect(
      children.body.items.map((c) => `${c.recipient}:${c.channel}:${c.status}`).sort(),
    ).toStrictEqual([
      'alice:email:Delivered',
      'alice:push:Delivered',
      'alice:sms:Delivered',
      'bob:push:Delivered',
      'carol:push:Delivered',
    ]);
    const listed = await call<{ items: { id: string }[] }>(
      'GET',
      `/v1/topics/${topicId}/notifications`,
    );
    expect(listed.body.items.map((i) => i.id)).toStrictEqual([sent.body.id]);
    // Children are listed under their parent only.
    const all = await call<{ items: { id: string }[] }>('GET', '/v1/notifications');
    expect(all.body.items).toHaveLength(0);

    // Another client learns nothing of it: every route is 404, and its cursors stay its own.
    const other = await stack.issueToken('someone-else', 'notifications:send,notifications:read');
    const as = (method: string, url: string) =>
      fetch(`${stack.apiUrl}${url}`, { method, headers: { authorization: `Bearer ${other}` } });
    expect((await as('GET', `/v1/notifications/${sent.body.id}`)).status).toBe(404);
    expect((await as('GET', `/v1/notifications/${sent.body.id}/children`)).status).toBe(404);
    expect((await as('POST', `/v1/notifications/${sent.body.id}/cancel`)).status).toBe(404);
    expect((await as('GET', `/v1/topics/${topicId}/notifications`)).status).toBe(404);
    const forged = Buffer.from(JSON.stringify({ s: 99, id: 'x' })).toString('base64url');
    expect(
      (await call('GET', `/v1/notifications/${sent.body.id}/children?cursor=${forged}`)).status,
    ).toBe(400);
    // A settled topic send can no longer be cancelled.
    expect((await call('POST', `/v1/notifications/${sent.body.id}/cancel`)).status).toBe(409);
  });

  it('holds a child in quiet hours, and a cancel of the parent then cancels it', async () => {
    const hhmm = (offsetMinutes: number) => {
      const d = new Date(Date.now() + offsetMinutes * 60_000);
      return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    };
    const topic = await call<{ id: string }>('POST', '/v1/topics', { name: 'Night shift' });
    await call('PUT', '/v1/recipients/dave', { email: 'dave@example.com' });
    await call('PUT', '/v1/recipients/dave/preferences', {
      quietHours: { start: hhmm(-60), end: hhmm(60), timezone: 'UTC' },
    });
    await call('PUT', `/v1/topics/${topic.body.id}/subscribers/dave`);

    const sent = await call<{ id: string }>('POST', `/v1/topics/${topic.body.id}/notifications`, {
      title: 'Shift swap',
      body: 'Can you take Friday?',
    });
    const child = await eventually(
      async () => {
        const page = await call<{ items: { id: string }[] }>(
          'GET',
          `/v1/notifications/${sent.body.id}/children`,
        );
        const id = page.body.items[0]?.id;
        if (id === undefined) return undefined;
        const view = (await call<{ events: { type: string }[] }>('GET', `/v1/notifications/${id}`))
          .body;
        return view.events.some((e) => e.type === 'deferred') ? { id, view } : undefined;
      },
      'the child deferred by quiet hours',
      30_000,
    );
    expect(child.view).toMatchObject({
      status: 'Pending',
      recipient: 'dave',
      parentId: sent.body.id,
    });
    expect(stack.smtp.messages.some((m) => m.envelope.to.includes('dave@example.com'))).toBe(false);

    const cancelled = await call<TopicSendView & { cancelledChildren: number }>(
      'POST',
      `/v1/notifications/${sent.body.id}/cancel`,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelledChildren).toBe(1);
    const settled = await eventually(
      async () => {
        const view = (await call<TopicSendView>('GET', `/v1/notifications/${sent.body.id}`)).body;
        return view.status === 'Pending' ? undefined : view;
      },
      'the cancelled topic send settled',
      60_000,
    );
    expect(settled).toMatchObject({
      status: 'Refused',
      reason: { code: 'cancelled' },
      fanOut: { children: { Pending: 0, Delivered: 0, Refused: 1 } },
    });
  });
});
