import { deviceIdOf, type DeviceTarget } from '../audience/device-target';
import type { RecipientPreferences } from '../audience/recipient-preferences';
import { ProviderError } from '../errors';
import type { AudienceLink } from '../notification';
import type { NotificationRequest } from '../schemas/notification-request';
import {
  aDeliverDeps,
  aPendingRecord,
  anEmailRequest,
  FixedClock,
  InMemoryDeadTargets,
  InMemoryNotificationStore,
  InMemoryPreferenceStore,
  InMemoryRecipientStore,
  InMemorySendTimeAudience,
  RecordingProvider,
} from '../testing';
import { createDeliverNotification } from './deliver-notification';

const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PHONE: DeviceTarget = {
  webPush: { endpoint: 'https://push.example/sub/1', keys: { p256dh: 'p', auth: 'a' } },
};

// 2026-01-01T00:00Z is 01:00 in Oslo: inside 22:00–07:00 there, outside 08:00–17:00 UTC.
async function setup(preferences?: RecipientPreferences, timezone?: string) {
  const clock = new FixedClock();
  const store = new InMemoryNotificationStore();
  const recipients = new InMemoryRecipientStore();
  const prefs = new InMemoryPreferenceStore(recipients);
  const audience = new InMemorySendTimeAudience(recipients, prefs);
  const now = clock.now().toISOString();
  await recipients.putProfile({
    clientId: 'client-a',
    recipientId: 'alice',
    profile: { email: 'alice@example.com', ...(timezone ? { timezone } : {}) },
    precondition: { kind: 'none' },
    now,
  });
  await recipients.addDevice({
    clientId: 'client-a',
    recipientId: 'alice',
    deviceId: deviceIdOf(PHONE),
    target: PHONE,
    now,
  });
  if (preferences) {
    await prefs.putPreferences({
      clientId: 'client-a',
      recipientId: 'alice',
      preferences,
      precondition: { kind: 'none' },
      now,
    });
  }
  const email = new RecordingProvider('email', 'smtp');
  const push = new RecordingProvider('push', 'web-push');
  const deadTargets = new InMemoryDeadTargets();
  const deps = aDeliverDeps(
    store,
    clock,
    { email: [email], push: [push] },
    { audience, deadTargets },
  );
  const deliver = createDeliverNotification(deps);
  const stored = async (request: NotificationRequest, link?: AudienceLink) => {
    const record = aPendingRecord({
      channel: request.channel,
      request,
      ...(link ? { audience: link } : {}),
    });
    await store.create(record, now);
    return record.id;
  };
  return { clock, store, recipients, audience, email, push, deliver, stored, deadTargets };
}

const alice: AudienceLink = { recipientId: 'alice' };
const toAlice = anEmailRequest({ to: 'alice@example.com' });

describe('delivery to a recipient: its choices at send time', () => {
  it('reads nothing of the audience for a notification addressed directly', async () => {
    const t = await setup({ channels: { email: false } });
    const id = await t.stored(anEmailRequest());
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Delivered' });
    expect(t.audience.reads).toBe(0);
  });

  it('sends with one read when the recipient has no objection', async () => {
    const t = await setup({ channels: { sms: false } });
    const id = await t.stored(toAlice, alice);
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Delivered' });
    expect(t.audience.reads).toBe(1);
    expect(t.email.sent).toHaveLength(1);
  });

  it('refuses opted_out without a provider call when the channel is opted out', async () => {
    const t = await setup({ channels: { email: false } });
    const id = await t.stored(toAlice, alice);
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Refused' });
    expect((await t.store.get(id))?.reason?.code).toBe('opted_out');
    expect(t.email.sent).toHaveLength(0);
  });

  it("honours a topic's opt-out only for that topic's notifications", async () => {
    const t = await setup({ topics: { [TOPIC]: { email: false } } });
    const fromTopic = await t.stored(toAlice, { recipientId: 'alice', topicId: TOPIC });
    const direct = await t.stored(toAlice, alice);
    const other = await t.stored(toAlice, {
      recipientId: 'alice',
      topicId: '6f1c1a86-1b0e-4f55-9d55-3c1f1f3f9a0e',
    });
    expect(await t.deliver(fromTopic)).toEqual({ kind: 'done', status: 'Refused' });
    expect(await t.deliver(direct)).toEqual({ kind: 'done', status: 'Delivered' });
    expect(await t.deliver(other)).toEqual({ kind: 'done', status: 'Delivered' });
  });

  it('refuses recipient_erased when the recipient was erased since the accept', async () => {
    const t = await setup();
    const id = await t.stored(toAlice, alice);
    await t.recipients.deleteRecipient('client-a', 'alice');
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Refused' });
    expect((await t.store.get(id))?.reason?.code).toBe('recipient_erased');
    expect(t.email.sent).toHaveLength(0);
  });

  it('defers to the end of quiet hours (profile timezone), refunds the attempt, then sends', async () => {
    const t = await setup({ quietHours: { start: '22:00', end: '07:00' } }, 'Europe/Oslo');
    const id = await t.stored(toAlice, alice);
    const outcome = await t.deliver(id);
    // 07:00 in Oslo on 1 January is 06:00 UTC: six hours away.
    expect(outcome).toEqual({ kind: 'retry-later', delayMs: 6 * 3_600_000 });
    const waiting = await t.store.get(id);
    expect(waiting).toMatchObject({
      status: 'Pending',
      attempts: 0,
      nextAttemptAt: '2026-01-01T06:00:00.000Z',
    });
    expect(waiting?.events.at(-1)).toMatchObject({
      type: 'deferred',
      detail: { until: '2026-01-01T06:00:00.000Z' },
    });
    expect(t.email.sent).toHaveLength(0);

    t.clock.advance(6 * 3_600_000);
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Delivered' });
    expect((await t.store.get(id))?.attempts).toBe(1);
  });

  it("uses the quiet hours' own timezone over the profile's", async () => {
    const t = await setup(
      { quietHours: { start: '08:00', end: '17:00', timezone: 'UTC' } },
      'Europe/Oslo',
    );
    const id = await t.stored(toAlice, alice);
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Delivered' });
  });

  it('lets a critical notification through quiet hours, but never through an opt-out', async () => {
    const quiet = await setup({ quietHours: { start: '00:00', end: '07:00' } });
    const critical = { ...toAlice, critical: true };
    expect(await quiet.deliver(await quiet.stored(critical, alice))).toEqual({
      kind: 'done',
      status: 'Delivered',
    });
    const optedOut = await setup({
      channels: { email: false },
      quietHours: { start: '00:00', end: '07:00' },
    });
    const id = await optedOut.stored(critical, alice);
    expect(await optedOut.deliver(id)).toEqual({ kind: 'done', status: 'Refused' });
    expect((await optedOut.store.get(id))?.reason?.code).toBe('opted_out');
  });
});

describe('delivery to a recipient: gone devices', () => {
  const push = (to: DeviceTarget): NotificationRequest => ({
    channel: 'push',
    to,
    title: 'Hi',
    body: 'there',
  });
  const viaDevice: AudienceLink = { recipientId: 'alice', deviceId: deviceIdOf(PHONE) };
  const gone = () =>
    Promise.reject(
      new ProviderError('web-push', false, '410 Gone', {
        reasonCode: 'subscription_gone',
        deadTarget: true,
      }),
    );

  it('removes the device the push service reported gone', async () => {
    const t = await setup();
    t.push.behaviour = gone;
    const id = await t.stored(push(PHONE), viaDevice);
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Refused' });
    expect((await t.store.get(id))?.reason?.code).toBe('subscription_gone');
    expect(await t.recipients.listDevices('client-a', 'alice')).toEqual([]);
  });

  it('keeps a device registered again with new keys since the send', async () => {
    const t = await setup();
    t.push.behaviour = gone;
    const id = await t.stored(push(PHONE), viaDevice);
    const renewed = { webPush: { ...PHONE.webPush, keys: { p256dh: 'p2', auth: 'a2' } } };
    await t.recipients.addDevice({
      clientId: 'client-a',
      recipientId: 'alice',
      deviceId: deviceIdOf(renewed),
      target: renewed,
      now: t.clock.now().toISOString(),
    });
    await t.deliver(id);
    expect(await t.recipients.listDevices('client-a', 'alice')).toHaveLength(1);
  });

  it('removes the device when its target is already known dead, without a provider call', async () => {
    const t = await setup();
    t.push.behaviour = gone;
    const first = await t.stored(push(PHONE), { recipientId: 'alice' });
    await t.deliver(first); // marks it dead; no device link, so nothing is removed yet
    expect(await t.recipients.listDevices('client-a', 'alice')).toHaveLength(1);
    const id = await t.stored(push(PHONE), viaDevice);
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Refused' });
    expect(t.push.sent).toHaveLength(1);
    expect(await t.recipients.listDevices('client-a', 'alice')).toEqual([]);
  });

  it('still refuses subscription_gone when the removal fails', async () => {
    const t = await setup();
    t.push.behaviour = gone;
    t.audience.failRemovals = true;
    const id = await t.stored(push(PHONE), viaDevice);
    expect(await t.deliver(id)).toEqual({ kind: 'done', status: 'Refused' });
    expect((await t.store.get(id))?.reason?.code).toBe('subscription_gone');
    expect(await t.recipients.listDevices('client-a', 'alice')).toHaveLength(1);
  });
});
