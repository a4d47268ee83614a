import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TopicStore } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { recipientPk } from './audience-table';
import { createDynamoTopicStore } from './dynamo-topic-store';
import { topicPk } from './topic-item';

const table = useAudienceTable('topic-races');
const T1 = '2026-01-01T00:00:00.000Z';
let topics: TopicStore;

beforeAll(() => {
  topics = createDynamoTopicStore({ doc: table.clients.doc, tableName: table.tableName });
});

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

const recipient = (clientId: string, recipientId: string) =>
  table.store.putProfile({
    clientId,
    recipientId,
    profile: {},
    precondition: { kind: 'none' },
    now: T1,
  });

/** Settles `subscribe` whatever it answers: a race may end it `NOT_FOUND`, never otherwise. */
async function subscribeSettled(clientId: string, topicId: string, recipientId: string) {
  try {
    await topics.subscribe({ clientId, topicId, recipientId, now: T1 });
  } catch (err) {
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
  }
}

describe('subscriptions racing deletes (dynalite)', () => {
  it('a subscribe racing a topic delete leaves no item behind, on either side', async () => {
    for (let round = 0; round < 10; round++) {
      const clientId = `race-topic-${round}`;
      const { topicId } = await topics.createTopic({
        clientId,
        topicId: randomUUID(),
        name: 't',
        now: T1,
      });
      const ids = ['a', 'b', 'c', 'd'];
      for (const id of ids) await recipient(clientId, id);

      await Promise.all([
        ...ids.map((id) => subscribeSettled(clientId, topicId, id)),
        topics.deleteTopic(clientId, topicId),
      ]);

      expect(await sortKeys(topicPk(clientId, topicId))).toEqual([]);
      for (const id of ids) expect(await sortKeys(recipientPk(clientId, id))).toEqual(['PROFILE']);
    }
  }, 60_000);

  it('a subscribe racing a recipient erase leaves no item behind, on either side', async () => {
    for (let round = 0; round < 10; round++) {
      const clientId = `race-erase-${round}`;
      const made = await Promise.all(
        [1, 2, 3].map(() =>
          topics.createTopic({ clientId, topicId: randomUUID(), name: 't', now: T1 }),
        ),
      );
      await recipient(clientId, 'zed');

      await Promise.all([
        ...made.map((t) => subscribeSettled(clientId, t.topicId, 'zed')),
        table.store.deleteRecipient(clientId, 'zed'),
      ]);

      expect(await sortKeys(recipientPk(clientId, 'zed'))).toEqual([]);
      for (const t of made) expect(await sortKeys(topicPk(clientId, t.topicId))).toEqual([]);
    }
  }, 60_000);
});
