import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriptionRecord, TopicStore } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { recipientPk } from './audience-table';
import { createDynamoTopicStore } from './dynamo-topic-store';
import { topicPk } from './topic-item';

const table = useAudienceTable('topics');
const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
let topics: TopicStore;

beforeAll(() => {
  topics = createDynamoTopicStore({
    doc: table.clients.doc,
    tableName: table.tableName,
    maxTopicsPerClient: 3,
  });
});

const create = (clientId: string, name = 'Ops') =>
  topics.createTopic({ clientId, topicId: randomUUID(), name, now: T1 });
const recipient = (clientId: string, recipientId: string) =>
  table.store.putProfile({
    clientId,
    recipientId,
    profile: {},
    precondition: { kind: 'none' },
    now: T1,
  });
const sub = (clientId: string, topicId: string, recipientId: string) =>
  topics.subscribe({ clientId, topicId, recipientId, now: T1 });

async function partition(pk: string): Promise<string[]> {
  const res = await table.clients.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return (res.Items ?? []).map((i) => String(i.sk));
}

describe('DynamoTopicStore topics (dynalite)', () => {
  it('creates, reads, patches with a version check, and lists by id', async () => {
    const topic = await topics.createTopic({
      clientId: 'crud',
      topicId: randomUUID(),
      name: 'Alarms',
      description: 'Machine alarms',
      now: T1,
    });
    const patch = (version: string, patch: { name?: string; description?: string | null }) =>
      topics.updateTopic({
        clientId: 'crud',
        topicId: topic.topicId,
        patch,
        precondition: { kind: 'version', version },
        now: T2,
      });

    const renamed = await patch(topic.version, { name: 'Alerts', description: null });
    await expect(patch(topic.version, { name: 'lost' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });

    expect(await topics.getTopic('crud', topic.topicId)).toEqual(renamed);
    expect(renamed).toMatchObject({ name: 'Alerts', createdAt: T1, updatedAt: T2 });
    expect(renamed.description).toBeUndefined();
    expect(renamed.version).not.toBe(topic.version);
    await expect(
      topics.updateTopic({
        clientId: 'crud',
        topicId: randomUUID(),
        patch: { name: 'x' },
        precondition: { kind: 'none' },
        now: T2,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('bounds the topics of a client (409 beyond) and frees a slot on delete', async () => {
    const made = [await create('bound'), await create('bound'), await create('bound')];
    await expect(create('bound')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await topics.deleteTopic('bound', made[0]?.topicId ?? '')).toBe(true);
    await create('bound');

    const first = await topics.listTopics('bound', { limit: 2 });
    const second = await topics.listTopics('bound', { limit: 2, cursor: first.nextCursor ?? '' });
    const ids = [...first.items, ...second.items].map((t) => t.topicId);
    expect(ids).toHaveLength(3);
    expect([...ids].sort()).toEqual(ids);
    expect(second.nextCursor).toBeUndefined();
    await expect(topics.listTopics('bound', { limit: 2, cursor: 'bad!' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('DynamoTopicStore subscriptions (dynalite)', () => {
  it('pages through a 250-subscriber topic, every subscriber exactly once, in order', async () => {
    const topic = await create('big');
    const ids = Array.from({ length: 250 }, (_, i) => `user-${String(i).padStart(3, '0')}`);
    for (const id of ids) await recipient('big', id);
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(ids.slice(i, i + 25).map((id) => sub('big', topic.topicId, id)));
    }

    const seen: SubscriptionRecord[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await topics.listSubscribers('big', topic.topicId, {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...(page?.items ?? []));
      cursor = page?.nextCursor;
      pages++;
    } while (cursor !== undefined);

    expect(pages).toBe(3);
    expect(seen.map((s) => s.recipientId)).toEqual(ids);
  }, 60_000);

  it('keeps channels, replaces them on a second PUT (200), and lists a recipient side', async () => {
    const topic = await create('chan');
    await recipient('chan', 'alice');
    const first = await topics.subscribe({
      clientId: 'chan',
      topicId: topic.topicId,
      recipientId: 'alice',
      channels: ['email', 'sms'],
      now: T1,
    });
    const second = await topics.subscribe({
      clientId: 'chan',
      topicId: topic.topicId,
      recipientId: 'alice',
      now: T2,
    });

    expect(first.created).toBe(true);
    expect(second).toEqual({
      created: false,
      subscription: { topicId: topic.topicId, recipientId: 'alice', createdAt: T1, updatedAt: T2 },
    });
    const mine = await topics.listSubscriptions('chan', 'alice', { limit: 10 });
    expect(mine?.items).toEqual([second.subscription]);
    expect(await topics.unsubscribe('chan', topic.topicId, 'alice')).toBe(true);
    expect(await topics.unsubscribe('chan', topic.topicId, 'alice')).toBe(false);
    expect(await partition(recipientPk('chan', 'alice'))).toEqual(['PROFILE']);
  });

  it('keeps tenants apart: another client cannot see, subscribe to or delete a topic', async () => {
    const topic = await create('tenant-a');
    await recipient('tenant-a', 'alice');
    await recipient('tenant-b', 'alice');
    await sub('tenant-a', topic.topicId, 'alice');

    expect(await topics.getTopic('tenant-b', topic.topicId)).toBeUndefined();
    expect((await topics.listTopics('tenant-b', { limit: 10 })).items).toEqual([]);
    expect(await topics.listSubscribers('tenant-b', topic.topicId, { limit: 10 })).toBeUndefined();
    await expect(sub('tenant-b', topic.topicId, 'alice')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await topics.deleteTopic('tenant-b', topic.topicId)).toBe(false);
    expect((await topics.listSubscriptions('tenant-b', 'alice', { limit: 10 }))?.items).toEqual([]);
    expect((await topics.listSubscribers('tenant-a', topic.topicId, { limit: 10 }))?.items).toEqual(
      [expect.objectContaining({ recipientId: 'alice' })],
    );
  });

  it('refuses an unknown topic or recipient (NOT_FOUND) and writes nothing', async () => {
    const topic = await create('unknown');
    await expect(sub('unknown', topic.topicId, 'nobody')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(sub('unknown', randomUUID(), 'nobody')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await partition(topicPk('unknown', topic.topicId))).toEqual([]);
    expect(await partition(recipientPk('unknown', 'nobody'))).toEqual([]);
  });
});
