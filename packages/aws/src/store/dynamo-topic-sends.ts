import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, sendAtOf } from '@herald/core';
import type { TopicSendClaim, TopicSendRecord, TopicSendStore } from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import { sweepShardOf } from './notification-item';
import { cancelTopicSend } from './dynamo-topic-send-cancel';
import { finishTopicSend } from './dynamo-topic-send-finish';
import { decodeTopicCursor, encodeTopicCursor } from './topic-send-cursor';
import { conditionalUpdate, readItem } from './store-context';
import type { StoreContext } from './store-context';
import { BY_TOPIC_INDEX, scheduledShard } from './table-schema';
import { DEFAULT_SWEEP_SHARDS } from './table-schema';
import {
  clientTopicKey,
  fromTopicSendItem,
  isTopicSendItem,
  progressAttributes,
  toTopicSendItem,
} from './topic-send-item';

/**
 * Topic sends on DynamoDB (or dynalite): `N#<ntp_…>` items beside the notifications, sharing
 * their sweep shards and their status-event outbox. Every change is one conditional write.
 */
export function createDynamoTopicSendStore(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** As the notification store's (the same table's items share the sweep shards). */
  sweepShards?: number;
}): TopicSendStore {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  const sweepShards = options.sweepShards ?? DEFAULT_SWEEP_SHARDS;
  const shardOf = (id: string) => sweepShardOf(id, sweepShards);
  return {
    create: async (record, sweepAt, scheduled) => {
      const shard = scheduled ? scheduledShard(shardOf(record.id)) : shardOf(record.id);
      try {
        await ctx.doc.send(
          new PutCommand({
            TableName: ctx.tableName,
            Item: toTopicSendItem(record, { shard, at: sweepAt }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { created: true };
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw toStoreError(err, 'DynamoDB PutItem');
      }
      const existing = await readTopicSend(ctx, record.id);
      return existing === undefined ? { created: false } : { created: false, existing };
    },
    get: (id) => readTopicSend(ctx, id),
    claim: (id, c) => claim(ctx, id, c),
    recordPage: async (id, p) => {
      const attributes = progressAttributes(p.progress);
      const sets = Object.keys(attributes).filter((k) => attributes[k] !== undefined);
      const removes = Object.keys(attributes).filter((k) => attributes[k] === undefined);
      const written = await conditionalUpdate(ctx, id, {
        ConditionExpression:
          '#status = :pending AND #leaseOwner = :owner AND attribute_not_exists(#cancelledAt) AND ' +
          (p.from === undefined ? 'attribute_not_exists(#foCursor)' : '#foCursor = :from') +
          ' AND #foComplete = :false',
        UpdateExpression:
          `SET #leaseUntil = :until, #updatedAt = :now, ${sets.map((k) => `#${k} = :${k}`).join(', ')}` +
          (p.event ? ', #events = list_append(#events, :event)' : '') +
          (removes.length > 0 ? ` REMOVE ${removes.map((k) => `#${k}`).join(', ')}` : ''),
        ExpressionAttributeNames: {
          '#status': 'status',
          '#leaseOwner': 'leaseOwner',
          '#leaseUntil': 'leaseUntil',
          '#cancelledAt': 'cancelledAt',
          '#updatedAt': 'updatedAt',
          '#foCursor': 'foCursor',
          '#foComplete': 'foComplete',
          ...Object.fromEntries(Object.keys(attributes).map((k) => [`#${k}`, k])),
          ...(p.event ? { '#events': 'events' } : {}),
        },
        ExpressionAttributeValues: {
          ':pending': 'Pending',
          ':owner': p.owner,
          ':until': p.leaseUntil,
          ':now': p.now,
          ':false': false,
          ...(p.from === undefined ? {} : { ':from': p.from }),
          ...Object.fromEntries(sets.map((k) => [`:${k}`, attributes[k]])),
          ...(p.event ? { ':event': [p.event] } : {}),
        },
      });
      if (written !== undefined) return 'recorded';
      const current = await readTopicSend(ctx, id);
      return current?.cancelledAt !== undefined && current.status === 'Pending'
        ? 'cancelled'
        : 'lost';
    },
    release: async (id, r) =>
      (await conditionalUpdate(ctx, id, {
        ConditionExpression: '#status = :pending AND #leaseOwner = :owner',
        UpdateExpression:
          'SET #nextAttemptAt = :next, #sweepAt = :sweepAt, #updatedAt = :now REMOVE #leaseOwner, #leaseUntil',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#leaseOwner': 'leaseOwner',
          '#leaseUntil': 'leaseUntil',
          '#nextAttemptAt': 'nextAttemptAt',
          '#sweepAt': 'sweepAt',
          '#updatedAt': 'updatedAt',
        },
        ExpressionAttributeValues: {
          ':pending': 'Pending',
          ':owner': r.owner,
          ':next': r.nextAttemptAt,
          ':sweepAt': r.sweepAt,
          ':now': r.now,
        },
      })) !== undefined,
    finish: (id, f) => finishTopicSend(ctx, id, f, shardOf(id)),
    cancel: (id, c) => cancelTopicSend(ctx, id, c, shardOf(id)),
    listByTopic: async (clientId, topicId, page) => {
      const startKey =
        page.cursor === undefined ? undefined : decodeTopicCursor(page.cursor, clientId, topicId);
      let res;
      try {
        res = await ctx.doc.send(
          new QueryCommand({
            TableName: ctx.tableName,
            IndexName: BY_TOPIC_INDEX,
            KeyConditionExpression: '#ct = :ct',
            ExpressionAttributeNames: { '#ct': 'clientTopic' },
            ExpressionAttributeValues: { ':ct': clientTopicKey(clientId, topicId) },
            ScanIndexForward: false,
            Limit: page.limit,
            ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
      } catch (err) {
        throw toStoreError(err, 'DynamoDB Query');
      }
      const ids = (res.Items ?? [])
        .map((i) => (typeof i.pk === 'string' ? i.pk.slice(2) : ''))
        .filter((i) => i !== '');
      const records = await Promise.all(ids.map((id) => readTopicSend(ctx, id)));
      const last = res.LastEvaluatedKey;
      return {
        items: records.filter((r): r is TopicSendRecord => r !== undefined),
        ...(last !== undefined ? { nextCursor: encodeTopicCursor(last) } : {}),
      };
    },
  };
}

/** A consistent read of a topic send; `undefined` for none (or an item that is not one). */
export async function readTopicSend(
  ctx: StoreContext,
  id: string,
): Promise<TopicSendRecord | undefined> {
  const item = await readItem(ctx, id);
  return item === undefined || !isTopicSendItem(item) ? undefined : fromTopicSendItem(item);
}

const MAX_TRIES = 3;

/**
 * The lease on a topic send: one conditional write (Pending; no lease in force but its own;
 * `sendAt` and `nextAttemptAt` passed). No attempt is counted and no event appended: a parent is
 * claimed once per page run and once per settle pass, and its history should say what happened
 * to it, not how often it was looked at.
 */
async function claim(
  ctx: StoreContext,
  id: string,
  c: { owner: string; now: string; leaseUntil: string },
): Promise<TopicSendClaim> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const written = await conditionalUpdate(ctx, id, {
      ConditionExpression:
        '#kind = :topic AND #status = :pending' +
        ' AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now OR #leaseOwner = :owner)' +
        ' AND (attribute_not_exists(#nextAttemptAt) OR #nextAttemptAt <= :now)' +
        ' AND (attribute_not_exists(#sendAt) OR #sendAt <= :now)',
      UpdateExpression: 'SET #leaseOwner = :owner, #leaseUntil = :until REMOVE #nextAttemptAt',
      ExpressionAttributeNames: {
        '#kind': 'kind',
        '#status': 'status',
        '#leaseOwner': 'leaseOwner',
        '#leaseUntil': 'leaseUntil',
        '#nextAttemptAt': 'nextAttemptAt',
        '#sendAt': 'sendAt',
      },
      ExpressionAttributeValues: {
        ':topic': 'topic',
        ':pending': 'Pending',
        ':now': c.now,
        ':owner': c.owner,
        ':until': c.leaseUntil,
      },
      ReturnValues: 'ALL_NEW',
    });
    if (written !== undefined) return { kind: 'claimed', record: fromTopicSendItem(written) };
    const current = await readTopicSend(ctx, id);
    if (current === undefined) return { kind: 'missing' };
    if (current.status !== 'Pending') return { kind: 'final', record: current };
    const lease = current.lease;
    if (lease !== undefined && lease.owner !== c.owner && lease.until > c.now) {
      return { kind: 'leased', until: lease.until };
    }
    if (current.nextAttemptAt !== undefined && current.nextAttemptAt > c.now) {
      return { kind: 'not-due', at: current.nextAttemptAt };
    }
    const sendAt = sendAtOf(current);
    if (sendAt !== undefined && sendAt > c.now) return { kind: 'not-due', at: sendAt };
  }
  throw new AppError('UNAVAILABLE', `claim of ${id} lost ${MAX_TRIES} races in a row`);
}
