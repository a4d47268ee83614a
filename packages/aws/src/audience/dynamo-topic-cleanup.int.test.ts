import { randomUUID } from 'node:crypto';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TopicStore } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { PROFILE_SK, recipientPk } from './audience-table';
import { createDynamoTopicStore } from './dynamo-topic-store';
import { topicPk, topicSk, topicsPk } from './topic-item';

const table = useAudienceTable('topic-cleanup');
const T1 = '2026-01-01T00:00:00.000Z';
let topics: TopicStore;

beforeAll(() => {
  topics = createDynamoTopicStore({ doc: table.clients.doc, tableName: table.tableName });
});

async function topicWithSubscribers(clientId: string, recipientIds: string[]): Promise<string> {
  const topic = await topics.createTopic({ clientId, topicId: randomUUID(), name: 't', now: T1 });
  for (const recipientId of recipientIds) {
    await table.store.putProfile({
      clientId,
      recipientId,
      profile: {},
      precondition: { kind: 'none' },
      now: T1,
    });
    await topics.subscribe({ clientId, topicId: topic.topicId, recipientId, now: T1 });
  }
  return topic.topicId;
}

async function sortKeys(pk: string): Promise<string[]> {
  const res = await table.clients.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).map((i) => String(i.sk));
}

const deleteRaw = (pk: string, sk: string) =>
  table.clients.doc.send(new DeleteCommand({ TableName: table.tableName, Key: { pk, sk } }));

describe('subscription cleanups (dynalite)', () => {
  it('erasing a recipient removes it from every topic it was subscribed to', async () => {
    const a = await topicWithSubscribers('erase', ['alice', 'bob']);
    const b = await topicWithSubscribers('erase', ['alice']);

    expect(await table.store.deleteRecipient('erase', 'alice')).toBe(true);

    expect(await sortKeys(topicPk('erase', a))).toEqual(['S#bob']);
    expect(await sortKeys(topicPk('erase', b))).toEqual([]);
    expect(await sortKeys(recipientPk('erase', 'alice'))).toEqual([]);
  });

  it('a retried erase finishes one that stopped after deleting the profile', async () => {
    const a = await topicWithSubscribers('erase-retry', ['carol']);
    await deleteRaw(recipientPk('erase-retry', 'carol'), PROFILE_SK);

    expect(await table.store.deleteRecipient('erase-retry', 'carol')).toBe(true);
    expect(await table.store.deleteRecipient('erase-retry', 'carol')).toBe(false);

    expect(await sortKeys(topicPk('erase-retry', a))).toEqual([]);
    expect(await sortKeys(recipientPk('erase-retry', 'carol'))).toEqual([]);
  });

  it('deleting a topic removes its subscriptions on both sides; it is not found afterwards', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `r${i}`);
    const topicId = await topicWithSubscribers('drop', ids);
    const other = await topicWithSubscribers('drop', ['r0']);

    expect(await topics.deleteTopic('drop', topicId)).toBe(true);

    expect(await topics.getTopic('drop', topicId)).toBeUndefined();
    expect(await sortKeys(topicPk('drop', topicId))).toEqual([]);
    expect(await sortKeys(recipientPk('drop', 'r5'))).toEqual(['PROFILE']);
    expect(await sortKeys(recipientPk('drop', 'r0'))).toEqual(['PROFILE', `SUB#${other}`]);
    await expect(
      topics.subscribe({ clientId: 'drop', topicId, recipientId: 'r1', now: T1 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await topics.deleteTopic('drop', topicId)).toBe(false);
  }, 60_000);

  it('a retried topic delete finishes one that stopped after deleting the topic item', async () => {
    const topicId = await topicWithSubscribers('drop-retry', ['dan', 'eve']);
    await deleteRaw(topicsPk('drop-retry'), topicSk(topicId));
    // Half-done: one pair already gone on the recipient side only.
    await deleteRaw(recipientPk('drop-retry', 'dan'), `SUB#${topicId}`);

    expect(await topics.deleteTopic('drop-retry', topicId)).toBe(true);

    expect(await sortKeys(topicPk('drop-retry', topicId))).toEqual([]);
    expect(await sortKeys(recipientPk('drop-retry', 'eve'))).toEqual(['PROFILE']);
    expect(await topics.deleteTopic('drop-retry', topicId)).toBe(false);
  });
});
