import { deviceIdOf, type DeviceTarget } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { createDynamoPreferenceStore } from './dynamo-preference-store';
import { createDynamoSendTimeAudience } from './dynamo-send-time-audience';

const table = useAudienceTable('send-time');
const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const audience = () =>
  createDynamoSendTimeAudience({ doc: table.clients.doc, tableName: table.tableName });
const prefs = () =>
  createDynamoPreferenceStore({ doc: table.clients.doc, tableName: table.tableName });
const web = (keys: { p256dh: string; auth: string }): DeviceTarget => ({
  webPush: { endpoint: 'https://push.example.com/sub/1', keys },
});
const PHONE = web({ p256dh: 'BNc', auth: 'tBH' });

async function recipient(recipientId: string, timezone?: string) {
  await table.store.putProfile({
    clientId: 'shop',
    recipientId,
    profile: { email: `${recipientId}@example.com`, ...(timezone ? { timezone } : {}) },
    precondition: { kind: 'none' },
    now: T1,
  });
}

describe('DynamoSendTimeAudience (dynalite)', () => {
  it("reads the preferences and the profile's timezone; none for an erased recipient", async () => {
    await recipient('alice', 'Europe/Oslo');
    await recipient('bob');
    const quietHours = { start: '22:00', end: '07:00' };
    await prefs().putPreferences({
      clientId: 'shop',
      recipientId: 'alice',
      preferences: { channels: { sms: false }, quietHours },
      precondition: { kind: 'none' },
      now: T1,
    });

    expect(await audience().recipientAtSend('shop', 'alice')).toEqual({
      preferences: { channels: { sms: false }, quietHours },
      timezone: 'Europe/Oslo',
    });
    expect(await audience().recipientAtSend('shop', 'bob')).toEqual({ preferences: {} });
    expect(await audience().recipientAtSend('other-client', 'alice')).toBeUndefined();
    await table.store.deleteRecipient('shop', 'alice');
    expect(await audience().recipientAtSend('shop', 'alice')).toBeUndefined();
    // Created again under the same id: the old preferences are not the new recipient's.
    await recipient('alice');
    expect(await audience().recipientAtSend('shop', 'alice')).toEqual({ preferences: {} });
  });

  it('removes a gone device only while it holds the target that was sent to', async () => {
    await recipient('carol');
    const deviceId = deviceIdOf(PHONE);
    const add = (target: DeviceTarget, now: string) =>
      table.store.addDevice({ clientId: 'shop', recipientId: 'carol', deviceId, target, now });
    const remove = (target: DeviceTarget) =>
      audience().removeGoneDevice({ clientId: 'shop', recipientId: 'carol', deviceId, target });

    await add(web({ p256dh: 'BNd', auth: 'tBI' }), T2);
    expect(await remove(PHONE)).toBe(false);
    expect(await table.store.listDevices('shop', 'carol')).toHaveLength(1);

    await add(PHONE, T2);
    expect(await remove(PHONE)).toBe(true);
    expect(await table.store.listDevices('shop', 'carol')).toEqual([]);
    expect(await remove(PHONE)).toBe(false);
    expect(
      await audience().removeGoneDevice({
        clientId: 'shop',
        recipientId: 'nobody',
        deviceId,
        target: PHONE,
      }),
    ).toBe(false);
  });

  it('gives the recipient with its devices, newest first, in one read', async () => {
    await recipient('dave');
    const older = web({ p256dh: 'a', auth: 'b' });
    const newer: DeviceTarget = { fcm: { token: 'fcm-token-0123456789abcdef' } };
    for (const [target, now] of [
      [older, T1],
      [newer, T2],
    ] as const) {
      await table.store.addDevice({
        clientId: 'shop',
        recipientId: 'dave',
        deviceId: deviceIdOf(target),
        target,
        now,
      });
    }

    const book = await table.store.getAddressBook('shop', 'dave');

    expect(book?.recipient.profile.email).toBe('dave@example.com');
    expect(book?.devices.map((d) => d.target)).toEqual([newer, older]);
    expect(await table.store.getAddressBook('other-client', 'dave')).toBeUndefined();
  });
});
