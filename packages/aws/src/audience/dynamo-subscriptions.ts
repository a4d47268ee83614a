import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, type SubscriptionRecord, type TopicStore } from '@herald/core';
import { chunk } from '../batches';
import { toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { PROFILE_SK, recipientPk } from './audience-table';
import { deleteItem, getItem, queryPage, type AudienceKey } from './audience-io';
import { BATCH_WRITE_SIZE, deleteBatch } from './dynamo-recipient-purge';
import {
  cursorAfter,
  idOfCursor,
  subscriberSk,
  subscriptionOf,
  subscriptionSk,
  topicPk,
  topicSk,
  topicsPk,
} from './topic-item';

type SubscriptionOps = Pick<
  TopicStore,
  'subscribe' | 'unsubscribe' | 'listSubscribers' | 'listSubscriptions'
>;
type Subscribe = Parameters<TopicStore['subscribe']>[0];
const PURGE_PAGE = 100;

/**
 * The subscription half of the topic store. A subscription is two items written one after the
 * other (no transactions on the emulator): the recipient's (`SUB#<topicId>`) first, then the
 * topic's (`S#<recipientId>`, the one a send pages through). Each delete goes the other way
 * round (topic side first), and both erases (recipient, topic) delete the other side before their
 * own, so whatever a crash leaves half-written is found again and finished by a retry.
 */
export function subscriptionOps(ctx: StoreContext): SubscriptionOps {
  return {
    subscribe: (p) => subscribe(ctx, p),

    async unsubscribe(clientId, topicId, recipientId) {
      const keys = subscriptionKeys(clientId, topicId, recipientId);
      const onTopic = await deleteItem(ctx, keys.topicSide);
      const onRecipient = await deleteItem(ctx, keys.recipientSide);
      return onTopic || onRecipient;
    },

    async listSubscribers(clientId, topicId, page) {
      const after = page.cursor === undefined ? undefined : idOfCursor(page.cursor, 'recipient');
      if (!(await topicExists(ctx, clientId, topicId))) return undefined;
      const res = await queryPage(ctx, {
        pk: topicPk(clientId, topicId),
        prefix: 'S#',
        limit: page.limit,
        ...(after === undefined ? {} : { after: subscriberSk(after) }),
      });
      const items = res.items.map(subscriptionOf);
      const last = items.at(-1);
      return { items, ...(res.more && last ? { nextCursor: cursorAfter(last.recipientId) } : {}) };
    },

    async listSubscriptions(clientId, recipientId, page) {
      const after = page.cursor === undefined ? undefined : idOfCursor(page.cursor, 'topic');
      if (!(await recipientExists(ctx, clientId, recipientId))) return undefined;
      const res = await queryPage(ctx, {
        pk: recipientPk(clientId, recipientId),
        prefix: 'SUB#',
        limit: page.limit,
        ...(after === undefined ? {} : { after: subscriptionSk(after) }),
      });
      const items = res.items.map(subscriptionOf);
      const last = items.at(-1);
      return { items, ...(res.more && last ? { nextCursor: cursorAfter(last.topicId) } : {}) };
    },
  };
}

/**
 * Checks both ends exist, writes the recipient's item then the topic's, and checks again: a
 * topic deleted or a recipient erased meanwhile may have purged before our writes landed, so
 * then both items are deleted again and the answer is `NOT_FOUND`, leaving nothing behind.
 */
async function subscribe(
  ctx: StoreContext,
  p: Subscribe,
): Promise<{ created: boolean; subscription: SubscriptionRecord }> {
  await assertBothExist(ctx, p.clientId, p.topicId, p.recipientId);
  const keys = subscriptionKeys(p.clientId, p.topicId, p.recipientId);
  await writeSide(ctx, keys.recipientSide, p);
  const old = await writeSide(ctx, keys.topicSide, p);
  try {
    await assertBothExist(ctx, p.clientId, p.topicId, p.recipientId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      await deleteItem(ctx, keys.topicSide);
      await deleteItem(ctx, keys.recipientSide);
    }
    throw err;
  }
  const createdAt = typeof old?.createdAt === 'string' ? old.createdAt : p.now;
  const subscription: SubscriptionRecord = {
    topicId: p.topicId,
    recipientId: p.recipientId,
    ...(p.channels === undefined ? {} : { channels: p.channels }),
    createdAt,
    updatedAt: p.now,
  };
  return { created: old === undefined, subscription };
}

/** Writes one side (keeping its `createdAt`); resolves with the item as it was before. */
async function writeSide(
  ctx: StoreContext,
  key: AudienceKey,
  p: Subscribe,
): Promise<Record<string, unknown> | undefined> {
  const channels = p.channels === undefined ? ' REMOVE channels' : '';
  try {
    const res = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: key,
        UpdateExpression:
          'SET #kind = :kind, clientId = :clientId, topicId = :topicId, ' +
          'recipientId = :recipientId, updatedAt = :now, createdAt = if_not_exists(createdAt, :now)' +
          (p.channels === undefined ? '' : ', channels = :channels') +
          channels,
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':kind': 'subscription',
          ':clientId': p.clientId,
          ':topicId': p.topicId,
          ':recipientId': p.recipientId,
          ':now': p.now,
          ...(p.channels === undefined ? {} : { ':channels': p.channels }),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return res.Attributes;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB UpdateItem');
  }
}

/**
 * Deletes every subscription to the topic, page by page: the recipient's item first, then the
 * topic's, so a retry after a failure in between still finds the pair. Returns how many
 * subscriptions were deleted.
 */
export async function purgeTopicPartition(
  ctx: StoreContext,
  clientId: string,
  topicId: string,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    // Always the first page: what was read is deleted before the next read.
    const page = await queryPage(ctx, {
      pk: topicPk(clientId, topicId),
      prefix: 'S#',
      limit: PURGE_PAGE,
    });
    const subs = page.items.map(subscriptionOf);
    const keys = subs.map((s) => subscriptionKeys(clientId, topicId, s.recipientId));
    for (const batch of chunk(keys, BATCH_WRITE_SIZE)) {
      await deleteBatch(
        ctx,
        batch.map((k) => k.recipientSide),
      );
      await deleteBatch(
        ctx,
        batch.map((k) => k.topicSide),
      );
    }
    deleted += subs.length;
    if (!page.more || subs.length === 0) return deleted;
  }
}

function subscriptionKeys(clientId: string, topicId: string, recipientId: string) {
  return {
    topicSide: { pk: topicPk(clientId, topicId), sk: subscriberSk(recipientId) },
    recipientSide: { pk: recipientPk(clientId, recipientId), sk: subscriptionSk(topicId) },
  };
}

async function topicExists(ctx: StoreContext, clientId: string, topicId: string) {
  return (await getItem(ctx, { pk: topicsPk(clientId), sk: topicSk(topicId) })) !== undefined;
}

async function recipientExists(ctx: StoreContext, clientId: string, recipientId: string) {
  return (
    (await getItem(ctx, { pk: recipientPk(clientId, recipientId), sk: PROFILE_SK })) !== undefined
  );
}

async function assertBothExist(
  ctx: StoreContext,
  clientId: string,
  topicId: string,
  recipientId: string,
): Promise<void> {
  if (!(await topicExists(ctx, clientId, topicId))) {
    throw new AppError('NOT_FOUND', 'Topic not found');
  }
  if (!(await recipientExists(ctx, clientId, recipientId))) {
    throw new AppError('NOT_FOUND', 'Recipient not found');
  }
}
