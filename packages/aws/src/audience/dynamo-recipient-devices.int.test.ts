import { deviceIdOf, MAX_DEVICES_PER_RECIPIENT, type DeviceTarget } from '@herald/core';
import { useAudienceTable } from '../testing-audience';

const table = useAudienceTable('devices');
const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const apns = (n: number, environment?: 'production' | 'sandbox'): DeviceTarget => ({
  apns: { token: n.toString(16).padStart(64, '0'), ...(environment ? { environment } : {}) },
});

function add(recipientId: string, target: DeviceTarget, now = T1) {
  const deviceId = deviceIdOf(target);
  return table.store.addDevice({ clientId: 'shop', recipientId, deviceId, target, now });
}

async function recipient(recipientId: string) {
  await table.store.putProfile({
    clientId: 'shop',
    recipientId,
    profile: {},
    precondition: { kind: 'none' },
    now: T1,
  });
}

describe('DynamoRecipientStore devices (dynalite)', () => {
  it('adds, lists newest first, and removes devices', async () => {
    await recipient('alice');
    const first = await add('alice', apns(1), T1);
    const second = await add('alice', { fcm: { token: 'fcm-token-0123456789abcdef' } }, T2);

    const listed = await table.store.listDevices('shop', 'alice');
    const removed = await table.store.removeDevice('shop', 'alice', first.device.deviceId);
    const again = await table.store.removeDevice('shop', 'alice', first.device.deviceId);

    expect(first.created && second.created).toBe(true);
    expect(listed?.map((d) => d.deviceId)).toEqual([second.device.deviceId, first.device.deviceId]);
    expect(listed?.[1]).toEqual({ ...first.device, target: apns(1) });
    expect([removed, again]).toEqual([true, false]);
    expect(await table.store.listDevices('shop', 'alice')).toHaveLength(1);
  });

  it('keeps one device for the same token registered twice, with its new details', async () => {
    await recipient('bob');
    const first = await add('bob', apns(7), T1);

    const again = await add('bob', apns(7, 'sandbox'), T2);

    expect(again.created).toBe(false);
    expect(again.device).toEqual({
      deviceId: first.device.deviceId,
      target: apns(7, 'sandbox'),
      createdAt: T1,
      updatedAt: T2,
    });
    expect(await table.store.listDevices('shop', 'bob')).toEqual([again.device]);
  });

  it('refuses a device of a recipient that does not exist, or of another client', async () => {
    await recipient('carol');

    await expect(add('nobody', apns(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      table.store.addDevice({
        clientId: 'other',
        recipientId: 'carol',
        deviceId: deviceIdOf(apns(1)),
        target: apns(1),
        now: T1,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await table.store.removeDevice('other', 'carol', deviceIdOf(apns(1)))).toBe(false);
  });

  it(`never lets ${MAX_DEVICES_PER_RECIPIENT + 20} concurrent adds pass the limit`, async () => {
    await recipient('dave');
    const attempts = Array.from({ length: MAX_DEVICES_PER_RECIPIENT + 20 }, (_, i) =>
      add('dave', apns(100 + i)),
    );

    const results = await Promise.allSettled(attempts);

    const added = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(added).toHaveLength(MAX_DEVICES_PER_RECIPIENT);
    expect(refused).toHaveLength(20);
    for (const err of refused) expect(err).toMatchObject({ code: 'CONFLICT' });
    expect(await table.store.listDevices('shop', 'dave')).toHaveLength(MAX_DEVICES_PER_RECIPIENT);
  });

  it('still takes a known device when the recipient is full, and a new one after a removal', async () => {
    await recipient('erin');
    for (let i = 0; i < MAX_DEVICES_PER_RECIPIENT; i++) await add('erin', apns(200 + i));

    const known = await add('erin', apns(200), T2);
    await expect(add('erin', apns(999))).rejects.toMatchObject({ code: 'CONFLICT' });
    await table.store.removeDevice('shop', 'erin', deviceIdOf(apns(201)));
    const afterRemoval = await add('erin', apns(999));

    expect(known.created).toBe(false);
    expect(afterRemoval.created).toBe(true);
  });

  it('gives a deleted recipient no device, even one added right after the erase', async () => {
    await recipient('frank');
    await add('frank', apns(1));

    await table.store.deleteRecipient('shop', 'frank');

    await expect(add('frank', apns(2))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await table.store.listDevices('shop', 'frank')).toBeUndefined();
  });
});
