/** core's optOutOfTopicChannel over the DynamoDB preference store (dynalite). */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { optOutOfTopicChannel } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { recipientPk } from './audience-table';
import { createDynamoPreferenceStore } from './dynamo-preference-store';

const table = useAudienceTable('optout');
const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const now = '2026-01-01T00:00:00.000Z';
const prefs = () =>
  createDynamoPreferenceStore({ doc: table.clients.doc, tableName: table.tableName });
const optOut = (recipientId: string) =>
  optOutOfTopicChannel(prefs(), {
    clientId: 'shop',
    recipientId,
    topicId: TOPIC,
    channel: 'email',
    now,
  });
const create = (recipientId: string) =>
  table.store.putProfile({
    clientId: 'shop',
    recipientId,
    profile: { email: `${recipientId}@example.com` },
    precondition: { kind: 'none' },
    now,
  });
const items = async (recipientId: string) =>
  (
    await table.clients.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': recipientPk('shop', recipientId) },
      }),
    )
  ).Items ?? [];

describe('optOutOfTopicChannel (dynalite)', () => {
  it('stores the opt-out, merged with what was there', async () => {
    await create('alice');
    await prefs().putPreferences({
      clientId: 'shop',
      recipientId: 'alice',
      preferences: { channels: { sms: false } },
      precondition: { kind: 'none' },
      now,
    });

    expect(await optOut('alice')).toBe('opted_out');

    expect((await prefs().getPreferences('shop', 'alice'))?.preferences).toEqual({
      channels: { sms: false },
      topics: { [TOPIC]: { email: false } },
    });
  });

  it('writes nothing at all for a recipient erased (or never created)', async () => {
    await create('gone');
    await table.store.deleteRecipient('shop', 'gone');

    expect(await optOut('gone')).toBe('no_recipient');
    expect(await optOut('never')).toBe('no_recipient');

    expect(await items('gone')).toEqual([]);
    expect(await items('never')).toEqual([]);
  });

  it('loses no concurrent opt-out of different topics', async () => {
    await create('bob');
    const topics = [
      '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      '6ba7b810-9dad-41d1-80b4-00c04fd430c8',
      '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    ];

    await Promise.all(
      topics.map((topicId) =>
        optOutOfTopicChannel(prefs(), {
          clientId: 'shop',
          recipientId: 'bob',
          topicId,
          channel: 'email',
          now,
        }),
      ),
    );

    const stored = (await prefs().getPreferences('shop', 'bob'))?.preferences.topics;
    expect(Object.keys(stored ?? {}).sort()).toEqual([...topics].sort());
  });
});
