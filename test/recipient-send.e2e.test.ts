/**
 * Sending to a recipient (issue 14, "POST /v1/notifications may name a recipient" and
 * "Preferences, quiet hours") through the built api and worker against dynalite: the address is
 * resolved at accept (email to the SMTP sink, web push to the newest device, decrypted by the
 * test), the worker honours quiet hours (a `deferred` event, still Pending) and opt-outs
 * (`opted_out`), and a 410 from the push service removes the device from the recipient.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createHeraldClient,
  type HeraldClient,
  type NotificationView,
  type RecipientNotificationRequest,
} from '@herald/client';
import { generateVapidKeys } from '@herald/providers';
import {
  createSubscription,
  startTestPushService,
  type TestPushService,
  type TestSubscription,
} from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { eventually } from './support/peers';

jest.setTimeout(60_000);

const WAIT = { timeoutMs: 20_000 };
const EMAIL: RecipientNotificationRequest = {
  channel: 'email',
  recipient: 'alice',
  subject: 'Build finished',
  text: 'Your build passed.',
};

describe('sending to a recipient, end to end', () => {
  let stack: HeraldStack;
  let herald: HeraldClient;
  let pushService: TestPushService;
  let phone: TestSubscription;

  beforeAll(async () => {
    pushService = await startTestPushService();
    const dir = await mkdtemp(path.join(tmpdir(), 'herald-recipient-send-'));
    const caFile = path.join(dir, 'push-ca.pem');
    await writeFile(caFile, pushService.ca);
    const vapid = generateVapidKeys();
    stack = await startHeraldStack({
      // Local mode lets the api and worker reach the push service on its loopback port.
      apiEnv: { HERALD_LOCAL_MODE: 'true' },
      workerEnv: {
        HERALD_LOCAL_MODE: 'true',
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        HERALD_WEB_PUSH_CA_FILE: caFile,
      },
    });
    const token = (await stack.cli(['token', 'issue', '--client', 'ci'])).trim();
    herald = createHeraldClient({ baseUrl: stack.apiUrl, token });
    phone = createSubscription(pushService);
    await herald.putRecipient('alice', { email: 'alice@example.com', timezone: 'Europe/Oslo' });
    await herald.addDevice('alice', { webPush: phone.subscription });
  });

  afterAll(async () => {
    await stack?.stop();
    await pushService?.close();
  });

  it('delivers an email sent by recipient to its address', async () => {
    const accepted = await herald.sendNotificationAsync(EMAIL);
    const final = await herald.waitForStatus(accepted.id, WAIT);

    expect(final).toMatchObject({ status: 'Delivered', recipient: 'alice' });
    const mail = stack.smtp.messages.filter((m) => m.raw.includes(accepted.id));
    expect(mail).toHaveLength(1);
    expect(mail[0]?.envelope.to).toEqual(['alice@example.com']);
  });

  it("pushes to the recipient's newest device, and the push decrypts", async () => {
    const accepted = await herald.sendNotificationAsync({
      channel: 'push',
      recipient: 'alice',
      title: 'Build finished',
      body: 'Passed',
    });
    const final = await herald.waitForStatus(accepted.id, WAIT);
    const [device] = await herald.listDevices('alice');

    expect(final).toMatchObject({
      status: 'Delivered',
      recipient: 'alice',
      deviceId: device?.deviceId,
    });
    const pushes = pushService.pushes.filter((p) => p.subscriptionId === phone.id);
    expect(pushes).toHaveLength(1);
    const payload: unknown = pushes[0]
      ? JSON.parse(phone.decrypt(pushes[0].body).toString('utf8'))
      : undefined;
    expect(payload).toMatchObject({ title: 'Build finished', notificationId: accepted.id });
  });

  it('defers a send in quiet hours (still Pending, a deferred event) unless it is critical', async () => {
    const now = new Date();
    const hhmm = (offsetMinutes: number) =>
      new Date(now.getTime() + offsetMinutes * 60_000).toISOString().slice(11, 16);
    await herald.putPreferences('alice', {
      quietHours: { start: hhmm(-60), end: hhmm(120), timezone: 'UTC' },
    });

    const quiet = await herald.sendNotificationAsync(EMAIL);
    const critical = await herald.sendNotificationAsync({ ...EMAIL, critical: true });
    const deferred = await eventually(async () => {
      const view = await herald.getNotificationStatus(quiet.id);
      return view.events.some((e) => e.type === 'deferred') ? view : undefined;
    }, 'a deferred event');

    expect(deferred.status).toBe('Pending');
    const until = deferred.events.find((e) => e.type === 'deferred')?.detail?.until;
    expect(Date.parse(String(until)) - now.getTime()).toBeGreaterThan(110 * 60_000);
    expect((await herald.waitForStatus(critical.id, WAIT)).status).toBe('Delivered');
    expect(stack.smtp.messages.filter((m) => m.raw.includes(quiet.id))).toHaveLength(0);
  });

  it('refuses opted_out when the recipient opted out of the channel', async () => {
    await herald.putPreferences('alice', { channels: { email: false } });

    const accepted = await herald.sendNotificationAsync(EMAIL);
    const final: NotificationView = await herald.waitForStatus(accepted.id, WAIT);

    expect(final).toMatchObject({ status: 'Refused', reason: { code: 'opted_out' } });
    expect(stack.smtp.messages.filter((m) => m.raw.includes(accepted.id))).toHaveLength(0);
  });

  it('removes the device when its push service answers 410 Gone', async () => {
    pushService.markGone(phone.id);

    const accepted = await herald.sendNotificationAsync({
      channel: 'push',
      recipient: 'alice',
      title: 'Anyone there?',
      body: '…',
    });
    const final = await herald.waitForStatus(accepted.id, WAIT);

    expect(final).toMatchObject({ status: 'Refused', reason: { code: 'subscription_gone' } });
    expect(await herald.listDevices('alice')).toEqual([]);
    const none = await herald
      .sendNotificationAsync({ channel: 'push', recipient: 'alice', title: 'T', body: 'B' })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(none).toMatchObject({ code: 'NO_ADDRESS', status: 422 });
  });
});
