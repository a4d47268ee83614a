import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ProfilePrecondition, RecipientPreferences } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { recipientPk } from './audience-table';
import { createDynamoPreferenceStore } from './dynamo-preference-store';

const table = useAudienceTable('prefs');
const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const prefsStore = () =>
  createDynamoPreferenceStore({ doc: table.clients.doc, tableName: table.tableName });

function putPrefs(
  recipientId: string,
  preferences: RecipientPreferences,
  precondition: ProfilePrecondition = { kind: 'none' },
  now = T1,
) {
  return prefsStore().putPreferences({
    clientId: 'shop',
    recipientId,
    preferences,
    precondition,
    now,
  });
}

const createRecipient = (recipientId: string) =>
  table.store.putProfile({
    clientId: 'shop',
    recipientId,
    profile: { timezone: 'Europe/Oslo' },
    precondition: { kind: 'none' },
    now: T1,
  });

describe('DynamoPreferenceStore (dynalite)', () => {
  it('answers none with a version for a recipient without preferences, undefined without one', async () => {
    await createRecipient('alice');

    const none = await prefsStore().getPreferences('shop', 'alice');

    expect(none?.preferences).toEqual({});
    expect(none?.version).toMatch(/\.0$/);
    expect(none?.updatedAt).toBeUndefined();
    expect(await prefsStore().getPreferences('shop', 'nobody')).toBeUndefined();
    expect(await prefsStore().getPreferences('other', 'alice')).toBeUndefined();
  });

  it('stores, replaces and versions them; a stale version is refused and nothing changes', async () => {
    await createRecipient('bob');
    const none = await prefsStore().getPreferences('shop', 'bob');
    const first = await putPrefs(
      'bob',
      { channels: { sms: false } },
      {
        kind: 'version',
        version: none?.version ?? '',
      },
    );
    const second = await putPrefs(
      'bob',
      { topics: { [TOPIC]: { email: false } } },
      {
        kind: 'exists',
      },
      T2,
    );

    await expect(
      putPrefs('bob', {}, { kind: 'version', version: first.record.version }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(putPrefs('bob', {}, { kind: 'absent' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(new Set([none?.version, first.record.version, second.record.version]).size).toBe(3);
    expect(await prefsStore().getPreferences('shop', 'bob')).toEqual({
      preferences: { topics: { [TOPIC]: { email: false } } },
      version: second.record.version,
      updatedAt: T2,
    });
  });

  it('refuses an unknown recipient, storing nothing', async () => {
    await expect(putPrefs('ghost', { channels: { sms: false } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await itemsOf('ghost')).toBe(0);
  });

  it('applies concurrent writes one after another: every one succeeds, one wins', async () => {
    await createRecipient('carol');
    const writes = Array.from({ length: 4 }, (_, i) =>
      putPrefs('carol', { quietHours: { start: `0${i}:00`, end: '09:00' } }),
    );

    const results = await Promise.all(writes);

    const revisions = results.map((r) => Number(r.record.version.split('.')[1])).sort();
    expect(revisions).toEqual([1, 2, 3, 4]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('is erased with the recipient, and never returns for one created again', async () => {
    await createRecipient('dave');
    await putPrefs('dave', { channels: { email: false } });

    await table.store.deleteRecipient('shop', 'dave');
    expect(await itemsOf('dave')).toBe(0);
    await createRecipient('dave');

    expect((await prefsStore().getPreferences('shop', 'dave'))?.preferences).toEqual({});
  });

  it('ignores an orphan written after an erase (a write racing it) for the next incarnation', async () => {
    await createRecipient('erin');
    const store = prefsStore();
    await store.putPreferences({
      clientId: 'shop',
      recipientId: 'erin',
      preferences: { channels: { sms: false } },
      precondition: { kind: 'none' },
      now: T1,
    });
    // The profile alone is erased: what a write landing after the purge leaves behind.
    await deleteProfileOnly('erin');
    await createRecipient('erin');

    expect((await store.getPreferences('shop', 'erin'))?.preferences).toEqual({});
    const written = await putPrefs('erin', { channels: { push: false } });
    expect(written.created).toBe(true);
    expect((await store.getPreferences('shop', 'erin'))?.preferences).toEqual({
      channels: { push: false },
    });
  });
});

async function deleteProfileOnly(recipientId: string): Promise<void> {
  await table.clients.doc.send(
    new DeleteCommand({
      TableName: table.tableName,
      Key: { pk: recipientPk('shop', recipientId), sk: 'PROFILE' },
    }),
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
