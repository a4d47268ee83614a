import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  AppError,
  MAX_TOPICS_PER_CLIENT,
  type ProfilePrecondition,
  type TopicRecord,
  type TopicStore,
} from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { deleteItem, getItem, queryPage } from './audience-io';
import { purgeTopicPartition, subscriptionOps } from './dynamo-subscriptions';
import {
  TOPIC_COUNT_SK,
  cursorAfter,
  idOfCursor,
  topicOf,
  topicRevisionOf,
  topicSk,
  topicsPk,
} from './topic-item';

export interface DynamoTopicStoreOptions {
  /** The audience table (`HERALD_AUDIENCE_TABLE_NAME`, see `audienceTableDefinition`). */
  doc: StoreContext['doc'];
  tableName: string;
  /** The most topics one client may have; {@link MAX_TOPICS_PER_CLIENT} unless given (tests). */
  maxTopicsPerClient?: number;
}

type UpdateTopic = Parameters<TopicStore['updateTopic']>[0];

/**
 * Topics and subscriptions in the audience table (see `audienceTableDefinition`): a client's
 * topics are items `T#<topicId>` of the partition `C#<clientId>#TOPICS` (listing them is one
 * Query), beside a counter that bounds their number; a subscription is two items, one in the
 * topic's partition (paged through when sending) and one in the recipient's (`SUB#<topicId>`).
 */
export function createDynamoTopicStore(options: DynamoTopicStoreOptions): TopicStore {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  const max = options.maxTopicsPerClient ?? MAX_TOPICS_PER_CLIENT;
  return {
    async createTopic(p) {
      await countTopic(ctx, p.clientId, 1, max);
      const item = {
        pk: topicsPk(p.clientId),
        sk: topicSk(p.topicId),
        kind: 'topic',
        clientId: p.clientId,
        topicId: p.topicId,
        name: p.name,
        ...(p.description === undefined ? {} : { description: p.description }),
        revision: 1,
        createdAt: p.now,
        updatedAt: p.now,
      };
      try {
        await ctx.doc.send(
          new PutCommand({
            TableName: ctx.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (err) {
        await countTopic(ctx, p.clientId, -1, max);
        if (isConditionalCheckFailed(err)) throw new AppError('CONFLICT', 'Topic id is taken');
        throw toStoreError(err, 'DynamoDB PutItem');
      }
      return topicOf(item);
    },

    async getTopic(clientId, topicId) {
      const item = await getItem(ctx, { pk: topicsPk(clientId), sk: topicSk(topicId) });
      return item === undefined ? undefined : topicOf(item);
    },

    async listTopics(clientId, page) {
      const after = page.cursor === undefined ? undefined : idOfCursor(page.cursor, 'topic');
      const res = await queryPage(ctx, {
        pk: topicsPk(clientId),
        prefix: 'T#',
        limit: page.limit,
        ...(after === undefined ? {} : { after: topicSk(after) }),
      });
      const items = res.items.map(topicOf);
      const last = items.at(-1);
      return { items, ...(res.more && last ? { nextCursor: cursorAfter(last.topicId) } : {}) };
    },

    updateTopic: (p) => updateTopic(ctx, p),

    async deleteTopic(clientId, topicId) {
      const existed = await deleteItem(ctx, { pk: topicsPk(clientId), sk: topicSk(topicId) });
      if (existed) await countTopic(ctx, clientId, -1, max);
      // Also when the topic was gone already: a retry after a failure part-way finishes here.
      const purged = await purgeTopicPartition(ctx, clientId, topicId);
      return existed || purged > 0;
    },

    ...subscriptionOps(ctx),
  };
}

/**
 * Moves the client's topic counter by `delta`; an increment past `max` is AppError `CONFLICT`.
 * Without transactions, a crash between the increment and the topic's write leaves the counter
 * one too high (the bound errs on the safe side); deletes never take it below zero.
 */
async function countTopic(ctx: StoreContext, clientId: string, delta: 1 | -1, max: number) {
  const condition =
    delta === 1 ? 'attribute_not_exists(topics) OR topics < :max' : 'topics > :zero';
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: { pk: topicsPk(clientId), sk: TOPIC_COUNT_SK },
        UpdateExpression: 'ADD topics :delta',
        ConditionExpression: condition,
        ExpressionAttributeValues:
          delta === 1 ? { ':delta': 1, ':max': max } : { ':delta': -1, ':zero': 0 },
      }),
    );
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw toStoreError(err, 'DynamoDB UpdateItem');
    if (delta === 1) {
      throw new AppError('CONFLICT', `A client may have at most ${max} topics`);
    }
  }
}

/** One conditional UpdateItem; when it fails, a read tells a missing topic from a stale version. */
async function updateTopic(ctx: StoreContext, p: UpdateTopic): Promise<TopicRecord> {
  const key = { pk: topicsPk(p.clientId), sk: topicSk(p.topicId) };
  const condition = conditionOf(p.precondition);
  const sets = ['updatedAt = :now'];
  const values: Record<string, unknown> = { ':now': p.now, ':one': 1, ...condition.values };
  if (p.patch.name !== undefined) {
    sets.push('#name = :name');
    values[':name'] = p.patch.name;
  }
  let remove = '';
  if (p.patch.description === null) remove = ' REMOVE description';
  else if (p.patch.description !== undefined) {
    sets.push('description = :description');
    values[':description'] = p.patch.description;
  }
  try {
    const res = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}${remove} ADD revision :one`,
        ConditionExpression: condition.expression,
        ...(p.patch.name === undefined ? {} : { ExpressionAttributeNames: { '#name': 'name' } }),
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return topicOf(res.Attributes ?? {});
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw toStoreError(err, 'DynamoDB UpdateItem');
  }
  if ((await getItem(ctx, key)) === undefined) throw new AppError('NOT_FOUND', 'Topic not found');
  throw new AppError('PRECONDITION_FAILED', 'The topic has changed since that version');
}

function conditionOf(precondition: ProfilePrecondition): {
  expression: string;
  values?: Record<string, unknown>;
} {
  const exists = 'attribute_exists(pk)';
  switch (precondition.kind) {
    case 'none':
    case 'exists':
      return { expression: exists };
    case 'absent':
      // `If-None-Match: *` on a PATCH can never hold: the topic must exist to be changed.
      return { expression: `${exists} AND attribute_not_exists(pk)` };
    case 'version': {
      const revision = topicRevisionOf(precondition.version) ?? 0;
      return {
        expression: `${exists} AND revision = :ifRevision`,
        values: { ':ifRevision': revision },
      };
    }
  }
}
