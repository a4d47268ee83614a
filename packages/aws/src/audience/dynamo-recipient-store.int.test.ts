import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { deviceIdOf, type DeviceTarget, type ProfilePrecondition } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { ensureAudienceTable } from './provision-audience-table';
import { recipientPk } from './audience-table';

const table = useAudienceTable('audience');
const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const fcm = (n: number): DeviceTarget => ({ fcm: { token: `fcm-token-${n}-0123456789abcdef` } });

function put(
  recipientId: string,
  profile = {},
  precondition: ProfilePrecondition = { kind: 'none' },
) {
  return table.store.putProfile({ clientId: 'shop', recipientId, profile, precondition, now: T1 });
}

describe('DynamoRecipientStore profiles (dynalite)', () => {
  it('creates a profile, then replaces it with a new version, keeping createdAt', async () => {
    const created = await put('alice', { email: 'alice@example.com', timezone: 'Europe/Oslo' });
    const replaced = await table.store.putProfile({
      clientId: 'shop',
      recipientId: 'alice',
      profile: { phone: '+4791234567' },
      precondition: { kind: 'version', version: created.recipient.version },
      now: T2,
    });

    expect(created.created).toBe(true);
    expect(replaced.created).toBe(false);
    expect(replaced.recipient.version).not.toBe(created.recipient.version);
    expect(await table.store.getProfile('shop', 'alice')).toEqual({
      clientId: 'shop',
      recipientId: 'alice',
      profile: { phone: '+4791234567' },
      version: replaced.recipient.version,
      createdAt: T1,
      updatedAt: T2,
    });
  });

  it('refuses a stale or foreign version and every unmet precondition, storing nothing', async () => {
    const first = await put('bob', { name: 'Bob' });
    await put('bob', { name: 'Bob 2' });

    const attempts = [
      put('bob', { name: 'stale' }, { kind: 'version', version: first.recipient.version }),
      put('bob', { name: 'junk' }, { kind: 'version', version: 'not-a-version' }),
      put('bob', { name: 'again' }, { kind: 'absent' }),
      put('nobody', { name: 'x' }, { kind: 'exists' }),
    ];

    for (const attempt of attempts) {
      await expect(attempt).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    }
    expect((await table.store.getProfile('shop', 'bob'))?.profile).toEqual({ name: 'Bob 2' });
    expect(await table.store.getProfile('shop', 'nobody')).toBeUndefined();
  });

  it("keeps clients apart: another client's recipient of the same id is another recipient", async () => {
    await put('carol', { email: 'carol@shop.example' });

    expect(await table.store.getProfile('other', 'carol')).toBeUndefined();
    expect(await table.store.listDevices('other', 'carol')).toBeUndefined();
    expect(await table.store.deleteRecipient('other', 'carol')).toBe(false);
    expect(await table.store.getProfile('shop', 'carol')).toBeDefined();
  });

  it('keeps the devices when the profile is replaced', async () => {
    await put('dave');
    await table.store.addDevice({
      clientId: 'shop',
      recipientId: 'dave',
      deviceId: deviceIdOf(fcm(1)),
      target: fcm(1),
      now: T1,
    });

    await put('dave', { name: 'Dave' });

    expect(await table.store.listDevices('shop', 'dave')).toHaveLength(1);
  });
});

describe('DynamoRecipientStore erase (dynalite)', () => {
  it('erases the profile, its devices and every other item of the partition', async () => {
    const old = await put('erin', { email: 'erin@example.com' });
    await table.store.addDevice({
      clientId: 'shop',
      recipientId: 'erin',
      deviceId: deviceIdOf(fcm(2)),
      target: fcm(2),
      now: T1,
    });
    // More items than one page of the purge, as later subscriptions would be.
    await seed('erin', 230);

    expect(await table.store.deleteRecipient('shop', 'erin')).toBe(true);

    expect(await table.store.getProfile('shop', 'erin')).toBeUndefined();
    expect(await itemsOf('erin')).toBe(0);
    expect(await table.store.deleteRecipient('shop', 'erin')).toBe(false);
    const again = await put('erin');
    expect(again.created).toBe(true);
    expect(again.recipient.version).not.toBe(old.recipient.version);
    expect(await table.store.listDevices('shop', 'erin')).toEqual([]);
  });

  it('finishes an erase whose profile was deleted before a failure (a retry)', async () => {
    await seed('frank', 3);

    expect(await table.store.deleteRecipient('shop', 'frank')).toBe(true);

    expect(await itemsOf('frank')).toBe(0);
  });
});

describe('ensureAudienceTable', () => {
  it('is idempotent', async () => {
    await ensureAudienceTable({ dynamodb: table.clients.dynamodb, tableName: table.tableName });

    expect(await table.store.getProfile('shop', 'nobody')).toBeUndefined();
  });
});

async function seed(recipientId: string, count: number): Promise<void> {
  const pk = recipientPk('shop', recipientId);
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      table.clients.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk, sk: `SUB#${String(i).padStart(4, '0')}`, createdAt: T1 },
        }),
      ),
    ),
  );
}

async function itemsOf(recipientId: string): Promise<number> {
  const res = await table.clients.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': recipientPk('shop', recipientId) },
      Select: 'COUNT',
      ConsistentRead: true,
    }),
  );
  return res.Count ?? 0;
}
