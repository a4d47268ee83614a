/**
 * Every channel end to end: the built api and worker processes, configured only through their
 * environment, deliver to real protocol peers the test starts on 127.0.0.1 (a Twilio Messages
 * API stand-in driven by the real Twilio SDK, an HTTPS web push service, plain HTTP servers for
 * Slack webhooks and client callbacks, and moto_server for SNS mobile push).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createHeraldClient,
  isHeraldApiError,
  type HeraldClient,
  type NotificationRequest,
  type NotificationView,
} from '@herald/client';
import { deriveClientSecret, verifyCallbackSignature } from '@herald/guards';
import { generateVapidKeys } from '@herald/providers';
import {
  createSubscription,
  readVapidAuthorization,
  signTwilioRequest,
  startMotoServer,
  startTestPushService,
  startTwilioRecorder,
  twilioError,
  type MotoServer,
  type TestPushService,
  type TwilioRecorder,
} from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import {
  eventually,
  motoSns,
  startHttpRecorder,
  xmlValue,
  type HttpRecorder,
  type RecordedHttpRequest,
} from './support/peers';

jest.setTimeout(60_000);

const CLIENT_ID = 'channels';
const TWILIO_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const TWILIO_AUTH_TOKEN = 'e2e-twilio-auth-token-0123456789';
const SMS_FROM = '+15005550006';
const WHATSAPP_FROM = '+14155238886';
/** Numbers the Twilio stand-in refuses: 400 code 21211 (invalid), 503 (Twilio down). */
const INVALID_NUMBER = '+15005550001';
const TWILIO_DOWN_NUMBER = '+15005550503';
const WAIT = { timeoutMs: 20_000 };

/** What the Twilio stand-in received for one `To` (E.164, or `whatsapp:+…`). */
const twilioRequestsTo = (twilio: TwilioRecorder, to: string) =>
  twilio.requests.filter((r) => r.form.To === to);

/** Polls the status (GET) until `done` accepts it. */
function statusWhen(
  client: HeraldClient,
  id: string,
  done: (view: NotificationView) => boolean,
  what: string,
): Promise<NotificationView> {
  return eventually(async () => {
    const view = await client.getNotificationStatus(id);
    return done(view) ? view : undefined;
  }, what);
}

/** Posts a Twilio status callback to `url` exactly as Twilio would, signed unless told otherwise. */
function postTwilioReceipt(
  url: string,
  params: Record<string, string>,
  signature = signTwilioRequest(TWILIO_AUTH_TOKEN, url, params),
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'x-twilio-signature': signature },
    body: new URLSearchParams(params),
  });
}

describe('every channel, end to end through the api and worker processes', () => {
  let stack: HeraldStack;
  let client: HeraldClient;
  let twilio: TwilioRecorder;
  let pushService: TestPushService;
  let slack: HttpRecorder;
  let hooks: HttpRecorder;
  let dir: string;
  let outbox: string;
  let vapidPublicKey: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-channels-'));
    outbox = path.join(dir, 'outbox');
    [twilio, pushService, slack, hooks] = await Promise.all([
      startTwilioRecorder({
        respond: (req) => {
          if (req.form.To === INVALID_NUMBER)
            return twilioError(400, 21211, "The 'To' number is not a valid phone number.");
          if (req.form.To === TWILIO_DOWN_NUMBER)
            return twilioError(503, 20503, 'Service Unavailable');
          return undefined;
        },
      }),
      startTestPushService(),
      startHttpRecorder((req) =>
        req.url.endsWith('/GONE')
          ? { status: 404, body: 'no_service' }
          : { status: 200, body: 'ok' },
      ),
      startHttpRecorder(() => ({ status: 204 })),
    ]);
    const caFile = path.join(dir, 'push-ca.pem');
    await writeFile(caFile, pushService.ca);
    const vapid = generateVapidKeys();
    vapidPublicKey = vapid.publicKey;

    stack = await startHeraldStack({
      statusEvents: true,
      publicUrl: true,
      apiEnv: { HERALD_LOCAL_MODE: 'true', TWILIO_AUTH_TOKEN },
      workerEnv: {
        HERALD_LOCAL_MODE: 'true',
        TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN,
        TWILIO_FROM: SMS_FROM,
        TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
        TWILIO_API_BASE_URL: twilio.url,
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        HERALD_WEB_PUSH_CA_FILE: caFile,
        HERALD_ROUTE_SMS: 'twilio,sandbox',
        HERALD_ALLOW_SANDBOX: 'true',
        HERALD_SANDBOX_DIR: outbox,
      },
    });
    client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken(CLIENT_ID),
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([twilio?.close(), pushService?.close(), slack?.close(), hooks?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The callbacks the hooks server received for one notification. */
  const callbacksFor = (id: string): RecordedHttpRequest[] =>
    hooks.requests.filter((r) => r.headers['herald-notification-id'] === id);

  describe('SMS via Twilio, with delivery receipts', () => {
    it('sends through the Twilio API, waits for the receipt, and ignores forged, late and duplicate receipts', async () => {
      const to = '+15005550010';
      const accepted = await client.sendNotificationAsync({
        channel: 'sms',
        to,
        body: 'Your code is 123456',
        callbackUrl: `${hooks.url}/hook/sms`,
      });
      const pending = await statusWhen(
        client,
        accepted.id,
        (v) => v.events.some((e) => e.type === 'provider_accepted'),
        'the Twilio acceptance',
      );

      // What the real Twilio SDK sent.
      const sent = twilioRequestsTo(twilio, to);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.path).toBe(`/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json`);
      expect(sent[0]!.auth).toEqual({ user: TWILIO_ACCOUNT_SID, pass: TWILIO_AUTH_TOKEN });
      expect(sent[0]!.form).toMatchObject({ To: to, From: SMS_FROM, Body: 'Your code is 123456' });
      const statusCallback = sent[0]!.form.StatusCallback!;
      expect(statusCallback).toBe(
        `${stack.apiUrl}/v1/providers/twilio/status?notificationId=${accepted.id}`,
      );
      // Accepted by Twilio, not yet delivered: Pending until the receipt.
      expect(pending.status).toBe('Pending');
      const acceptedEvent = pending.events.find((e) => e.type === 'provider_accepted')!;
      expect(acceptedEvent.detail).toMatchObject({ provider: 'twilio', awaitingReceipt: true });
      const sid = String(acceptedEvent.detail?.providerMessageId);
      expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
      const receipt = (MessageStatus: string, extra: Record<string, string> = {}) => ({
        MessageSid: sid,
        SmsSid: sid,
        AccountSid: TWILIO_ACCOUNT_SID,
        From: SMS_FROM,
        To: to,
        ApiVersion: '2010-04-01',
        MessageStatus,
        SmsStatus: MessageStatus,
        ...extra,
      });

      // A forged receipt: 403, nothing changes.
      const forged = await postTwilioReceipt(
        statusCallback,
        receipt('delivered'),
        signTwilioRequest('not-the-auth-token', statusCallback, receipt('delivered')),
      );
      expect(forged.status).toBe(403);
      expect((await client.getNotificationStatus(accepted.id)).status).toBe('Pending');

      // The real receipt: Delivered.
      expect((await postTwilioReceipt(statusCallback, receipt('delivered'))).status).toBe(204);
      const delivered = await client.getNotificationStatus(accepted.id);
      expect(delivered).toMatchObject({
        status: 'Delivered',
        provider: 'twilio',
        providerMessageId: sid,
      });
      expect(delivered.events.map((e) => e.type)).toEqual([
        'accepted',
        'attempt_started',
        'provider_accepted',
        'receipt',
      ]);

      // A late `sent` and a duplicate `undelivered`: acknowledged (so Twilio stops), ignored.
      expect((await postTwilioReceipt(statusCallback, receipt('sent'))).status).toBe(204);
      expect(
        (await postTwilioReceipt(statusCallback, receipt('undelivered', { ErrorCode: '30003' })))
          .status,
      ).toBe(204);
      const after = await client.getNotificationStatus(accepted.id);
      expect(after.status).toBe('Delivered');
      expect(after.events).toEqual(delivered.events);
      expect(twilioRequestsTo(twilio, to)).toHaveLength(1);

      // The receipt reached the client's callback once, through the api's status event.
      const callback = await hooks.waitFor(
        (r) => r.headers['herald-notification-id'] === accepted.id,
      );
      expect(JSON.parse(callback.body)).toEqual({
        id: accepted.id,
        status: 'Delivered',
        provider: 'twilio',
        at: expect.any(String) as unknown,
      });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(callbacksFor(accepted.id)).toHaveLength(1);
    });

    it('ends Refused with recipient_invalid when Twilio rejects the number (21211), without failover', async () => {
      const accepted = await client.sendNotificationAsync({
        channel: 'sms',
        to: INVALID_NUMBER,
        body: 'hello',
      });
      const final = await client.waitForStatus(accepted.id, WAIT);

      expect(final.status).toBe('Refused');
      expect(final.reason?.code).toBe('recipient_invalid');
      expect(final.reason?.message).toContain('21211');
      expect(final.reason?.message).not.toContain(INVALID_NUMBER);
      expect(final.attempts).toBe(1);
      expect(twilioRequestsTo(twilio, INVALID_NUMBER)).toHaveLength(1);
      const outboxLines = await readFile(path.join(outbox, 'sms.jsonl'), 'utf8').catch(() => '');
      expect(outboxLines).not.toContain(accepted.id);
    });

    it('fails over to the sandbox when Twilio is down, and delivers exactly once', async () => {
      const accepted = await client.sendNotificationAsync({
        channel: 'sms',
        to: TWILIO_DOWN_NUMBER,
        body: 'failover please',
      });
      const final = await client.waitForStatus(accepted.id, WAIT);

      expect(final.status).toBe('Delivered');
      expect(final.provider).toBe('sandbox');
      expect(final.providerMessageId).toBe(`sandbox:${accepted.id}`);
      const accepting = final.events.find((e) => e.type === 'provider_accepted')!;
      expect(String(accepting.detail?.failedOver)).toContain('twilio');
      expect(accepting.detail?.awaitingReceipt).toBeUndefined();
      expect(twilioRequestsTo(twilio, TWILIO_DOWN_NUMBER)).toHaveLength(1);
      const lines = (await readFile(path.join(outbox, 'sms.jsonl'), 'utf8'))
        .split('\n')
        .filter((l) => l.includes(accepted.id));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        notificationId: accepted.id,
        request: { channel: 'sms', to: TWILIO_DOWN_NUMBER, body: 'failover please' },
      });
    });
  });

  describe('WhatsApp via Twilio', () => {
    it('sends a content template with whatsapp: addresses and its variables as JSON', async () => {
      const to = '+15005550020';
      const contentSid = `HX${'0123456789abcdef'.repeat(2)}`;
      const variables = { '1': 'Ada', '2': '12:30' };
      const accepted = await client.sendNotificationAsync({
        channel: 'whatsapp',
        to,
        template: { contentSid, variables },
      });
      const pending = await statusWhen(
        client,
        accepted.id,
        (v) => v.events.some((e) => e.type === 'provider_accepted'),
        'the Twilio acceptance',
      );

      const sent = twilioRequestsTo(twilio, `whatsapp:${to}`);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.form).toMatchObject({
        To: `whatsapp:${to}`,
        From: `whatsapp:${WHATSAPP_FROM}`,
        ContentSid: contentSid,
      });
      expect(sent[0]!.form.Body).toBeUndefined();
      expect(JSON.parse(sent[0]!.form.ContentVariables!)).toEqual(variables);
      expect(sent[0]!.form.StatusCallback).toContain(`notificationId=${accepted.id}`);
      expect(pending.status).toBe('Pending');
      expect(pending.provider).toBe('twilio');
    });
  });

  describe('web push', () => {
    it('delivers the encrypted payload with a valid VAPID signature', async () => {
      const subscription = createSubscription(pushService);
      const request: NotificationRequest = {
        channel: 'push',
        to: { webPush: subscription.subscription },
        title: 'Order shipped',
        body: 'It is on its way.',
        url: 'https://shop.example/orders/42',
        data: { orderId: 42, tags: ['a', 'b'] },
      };
      const accepted = await client.sendNotificationAsync(request);
      const final = await client.waitForStatus(accepted.id, WAIT);

      expect(final.status).toBe('Delivered');
      expect(final.provider).toBe('web-push');
      const pushes = pushService.pushes.filter((p) => p.subscriptionId === subscription.id);
      expect(pushes).toHaveLength(1);
      expect(final.providerMessageId).toMatch(
        new RegExp(`^${pushService.origin.replaceAll('.', '\\.')}/message/`),
      );
      expect(JSON.parse(subscription.decrypt(pushes[0]!.body).toString('utf8'))).toEqual({
        title: 'Order shipped',
        body: 'It is on its way.',
        url: 'https://shop.example/orders/42',
        data: { orderId: 42, tags: ['a', 'b'] },
        notificationId: accepted.id,
      });
      const vapid = readVapidAuthorization(pushes[0]!.headers.authorization);
      expect(vapid).toMatchObject({ publicKey: vapidPublicKey, signatureValid: true });
      expect(vapid?.claims.aud).toBe(pushService.origin);
      expect(pushes[0]!.headers['content-encoding']).toBe('aes128gcm');
    });

    it('refuses a gone subscription, then never calls the push service for it again', async () => {
      const subscription = createSubscription(pushService);
      pushService.markGone(subscription.id);
      const request: NotificationRequest = {
        channel: 'push',
        to: { webPush: subscription.subscription },
        title: 'Hello',
        body: 'Anyone there?',
        callbackUrl: `${hooks.url}/hook/push`,
      };
      const pushesTo = () => pushService.pushes.filter((p) => p.subscriptionId === subscription.id);

      const first = await client.waitForStatus(
        (await client.sendNotificationAsync(request)).id,
        WAIT,
      );
      const pushesAfterFirst = pushesTo().length;
      const second = await client.waitForStatus(
        (await client.sendNotificationAsync(request)).id,
        WAIT,
      );

      expect(first.status).toBe('Refused');
      expect(first.reason?.code).toBe('subscription_gone');
      expect(pushesAfterFirst).toBe(1);
      expect(pushesTo()[0]!.status).toBe(410);
      // The gone target is on the client's suppression list now.
      expect(second.status).toBe('Refused');
      expect(second.reason?.code).toBe('suppressed');
      expect(second.provider).toBeUndefined();
      expect(pushesTo()).toHaveLength(1);
      // Refusals are called back too, with the reason.
      const callback = await hooks.waitFor(
        (r) => r.headers['herald-notification-id'] === second.id,
      );
      expect(JSON.parse(callback.body)).toMatchObject({
        id: second.id,
        status: 'Refused',
        reason: { code: 'suppressed' },
      });
    });
  });

  describe('Slack', () => {
    it('posts { text, blocks } to the webhook URL and reports Delivered', async () => {
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Deploy* finished' } }];
      const accepted = await client.sendNotificationAsync({
        channel: 'slack',
        to: { webhookUrl: `${slack.url}/services/T000/B000/XXXX` },
        text: 'Deploy finished',
        blocks,
      });
      const final = await client.waitForStatus(accepted.id, WAIT);

      expect(final.status).toBe('Delivered');
      expect(final.provider).toBe('slack');
      const posted = slack.requests.filter((r) => r.url === '/services/T000/B000/XXXX');
      expect(posted).toHaveLength(1);
      expect(posted[0]!.method).toBe('POST');
      expect(posted[0]!.headers['content-type']).toContain('application/json');
      expect(JSON.parse(posted[0]!.body)).toEqual({ text: 'Deploy finished', blocks });
    });

    it('ends Refused when the webhook answers 404 no_service', async () => {
      const accepted = await client.sendNotificationAsync({
        channel: 'slack',
        to: { webhookUrl: `${slack.url}/services/T000/B000/GONE` },
        text: 'Anyone?',
      });
      const final = await client.waitForStatus(accepted.id, WAIT);

      expect(final.status).toBe('Refused');
      expect(final.reason?.code).toBe('subscription_gone');
      expect(final.reason?.message).toContain('no_service');
      expect(final.attempts).toBe(1);
      expect(slack.requests.filter((r) => r.url.endsWith('/GONE'))).toHaveLength(1);
    });
  });

  describe('status callbacks', () => {
    it("POSTs the final status to the callbackUrl, signed with the client's derived secret", async () => {
      const accepted = await client.sendNotificationAsync({
        channel: 'slack',
        to: { webhookUrl: `${slack.url}/services/T000/B000/CALLBACK` },
        text: 'with a callback',
        callbackUrl: `${hooks.url}/hook?ref=order-42`,
      });
      const final = await client.waitForStatus(accepted.id, WAIT);
      const callback = await hooks.waitFor(
        (r) => r.headers['herald-notification-id'] === accepted.id,
      );

      expect(final.status).toBe('Delivered');
      expect(callback.method).toBe('POST');
      expect(callback.url).toBe('/hook?ref=order-42');
      expect(callback.headers['content-type']).toContain('application/json');
      expect(callback.headers['user-agent']).toBe('Herald-Callbacks/1');
      const body = JSON.parse(callback.body) as Record<string, unknown>;
      expect(body).toEqual({
        id: accepted.id,
        status: 'Delivered',
        provider: 'slack',
        at: expect.any(String) as unknown,
      });
      expect(Math.abs(Date.parse(String(body.at)) - Date.parse(final.updatedAt))).toBeLessThan(
        5_000,
      );
      const header = String(callback.headers['herald-signature']);
      const secret = deriveClientSecret(stack.callbackSecret!, CLIENT_ID);
      expect(verifyCallbackSignature({ secret, header, body: callback.body })).toBe(true);
      // Another client's secret does not verify it, nor does a changed body.
      const otherSecret = deriveClientSecret(stack.callbackSecret!, 'someone-else');
      expect(verifyCallbackSignature({ secret: otherSecret, header, body: callback.body })).toBe(
        false,
      );
      expect(
        verifyCallbackSignature({
          secret,
          header,
          body: callback.body.replace('Delivered', 'Refused'),
        }),
      ).toBe(false);
    });
  });

  describe('the api refuses internal targets even in local mode', () => {
    it.each([
      ['a private callbackUrl', { callbackUrl: 'http://10.0.0.1/hook' }],
      ['a link-local (metadata) callbackUrl', { callbackUrl: 'http://169.254.169.254/latest/' }],
    ])('answers 400 for %s', async (_name, extra) => {
      const to = '+15005550030';
      const newest = async () => (await client.listNotifications({ limit: 1 })).items[0]?.id;
      const before = await newest();
      const error: unknown = await client
        .sendNotificationAsync({ channel: 'sms', to, body: 'x', ...extra })
        .catch((e: unknown) => e);

      expect(isHeraldApiError(error) && error.status).toBe(400);
      expect(isHeraldApiError(error) && error.code).toBe('VALIDATION_FAILED');
      // Nothing was stored or sent.
      expect(await newest()).toBe(before);
      expect(twilioRequestsTo(twilio, to)).toHaveLength(0);
    });

    it('answers 400 for a Slack webhook or a push endpoint on a private address', async () => {
      const slackError: unknown = await client
        .sendNotificationAsync({
          channel: 'slack',
          to: { webhookUrl: 'http://192.168.1.10/services/T/B/X' },
          text: 'x',
        })
        .catch((e: unknown) => e);
      const pushError: unknown = await client
        .sendNotificationAsync({
          channel: 'push',
          to: {
            webPush: {
              ...createSubscription(pushService).subscription,
              endpoint: 'https://10.1.2.3/push/abc',
            },
          },
          title: 't',
          body: 'b',
        })
        .catch((e: unknown) => e);

      expect(isHeraldApiError(slackError) && slackError.status).toBe(400);
      expect(isHeraldApiError(pushError) && pushError.status).toBe(400);
    });
  });
});

describe('mobile push via Amazon SNS (moto_server: fauxqs has no platform endpoints)', () => {
  let moto: MotoServer;
  let stack: HeraldStack;
  let client: HeraldClient;
  let applicationArn: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    // A stack of its own: the worker's one SNS client points at moto here, so status events
    // (which go through the same client) are not configured.
    stack = await startHeraldStack({
      apiEnv: { HERALD_LOCAL_MODE: 'true' },
      workerEnv: {
        HERALD_LOCAL_MODE: 'true',
        HERALD_SNS_PUSH: 'true',
        HERALD_SNS_ENDPOINT: moto.endpoint,
      },
    });
    client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken(CLIENT_ID),
    });
    applicationArn = xmlValue(
      await motoSns(moto.endpoint, {
        Action: 'CreatePlatformApplication',
        Name: 'herald-e2e',
        Platform: 'GCM',
        'Attributes.entry.1.key': 'PlatformCredential',
        'Attributes.entry.1.value': 'dummy-fcm-server-key',
      }),
      'PlatformApplicationArn',
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await moto?.stop();
  });

  it('publishes to the platform endpoint, and refuses it once disabled', async () => {
    const endpointArn = xmlValue(
      await motoSns(moto.endpoint, {
        Action: 'CreatePlatformEndpoint',
        PlatformApplicationArn: applicationArn,
        Token: `device-token-${Date.now()}`,
      }),
      'EndpointArn',
    );
    const send = async () =>
      client.waitForStatus(
        (
          await client.sendNotificationAsync({
            channel: 'push',
            to: { snsEndpointArn: endpointArn },
            title: 'Order shipped',
            body: 'It is on its way.',
            data: { orderId: 42 },
          })
        ).id,
        WAIT,
      );

    const delivered = await send();
    const published = await moto.platformEndpointMessages(endpointArn);
    await motoSns(moto.endpoint, {
      Action: 'SetEndpointAttributes',
      EndpointArn: endpointArn,
      'Attributes.entry.1.key': 'Enabled',
      'Attributes.entry.1.value': 'false',
    });
    const refused = await send();
    const refusedAgain = await send();

    expect(delivered.status).toBe('Delivered');
    expect(delivered.provider).toBe('sns');
    const message = JSON.parse(published[delivered.providerMessageId!]!) as Record<string, string>;
    expect(message.default).toBe('It is on its way.');
    expect(JSON.parse(message.GCM!)).toEqual({
      notification: { title: 'Order shipped', body: 'It is on its way.' },
      data: { orderId: 42, notificationId: delivered.id },
    });
    expect(refused.status).toBe('Refused');
    expect(refused.reason?.code).toBe('subscription_gone');
    expect(refused.provider).toBe('sns');
    expect(refused.reason?.message).not.toContain(endpointArn);
    // Known dead, so on the client's suppression list: refused without asking SNS.
    expect(refusedAgain.status).toBe('Refused');
    expect(refusedAgain.reason?.code).toBe('suppressed');
    expect(refusedAgain.provider).toBeUndefined();
  });
});
