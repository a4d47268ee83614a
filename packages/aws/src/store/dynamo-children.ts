import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { storedRefusalCode } from '@herald/core';
import type {
  Channel,
  ChildCounts,
  ChildStore,
  ChildView,
  NotificationRecord,
  NotificationStatus,
} from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import { sweepShardOf, toItem } from './notification-item';
import type { StoreContext } from './store-context';
import { BY_PARENT_INDEX, CHILD_SHARDS, notificationPk } from './table-schema';
import { DEFAULT_SWEEP_SHARDS } from './table-schema';
import { decodeChildCursor, encodeChildCursor } from './topic-send-cursor';

/** Conditional PutItem calls in flight per page of children. */
const CREATE_CONCURRENCY = 16;
/**
 * A children page reads at most this many index pages (bounded cost per request): every shard
 * once, plus room for a status filter that skips many entries. Past it, the page comes back
 * short with a cursor.
 */
const MAX_QUERY_PAGES = CHILD_SHARDS * 2;

/** The byParent partition of a child: spread over CHILD_SHARDS by its id. */
export function parentShardOf(parentId: string, childId: string): string {
  const n = createHash('sha256').update(childId).digest().readUInt32BE(0) % CHILD_SHARDS;
  return `${parentId}#${n}`;
}

/**
 * The children of topic sends. A child is an ordinary notification item with `parentShard`
 * (byParent) and without `createdKey` (so the client's notifications list does not show it).
 */
export function createDynamoChildStore(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** As the notification store's (the same table's items share the sweep shards). */
  sweepShards?: number;
}): ChildStore {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  const sweepShards = options.sweepShards ?? DEFAULT_SWEEP_SHARDS;
  return {
    createChildren: async (children, sweepAt) => {
      const created: string[] = [];
      const createOne = async (child: NotificationRecord) => {
        const parentId = child.audience?.parentId ?? '';
        const { createdKey: _unlisted, ...item } = toItem(child, {
          shard: sweepShardOf(child.id, sweepShards),
          at: sweepAt,
        });
        try {
          await ctx.doc.send(
            new PutCommand({
              TableName: ctx.tableName,
              Item: { ...item, parentShard: parentShardOf(parentId, child.id) },
              // A child that exists is left exactly as it is: never a second, never a reset.
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          created.push(child.id);
        } catch (err) {
          if (!isConditionalCheckFailed(err)) throw toStoreError(err, 'DynamoDB PutItem');
        }
      };
      // A pool: CREATE_CONCURRENCY writes always in flight, none waiting on a slow neighbour.
      let next = 0;
      const lane = async () => {
        while (next < children.length) {
          const child = children[next++];
          if (child !== undefined) await createOne(child);
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(CREATE_CONCURRENCY, children.length) }, lane),
      );
      return created;
    },
    countChildren: async (parentId) => {
      const counts: ChildCounts = { Pending: 0, Delivered: 0, Refused: 0 };
      const perShard = await Promise.all(
        Array.from({ length: CHILD_SHARDS }, (_, shard) => countShard(ctx, parentId, shard)),
      );
      for (const c of perShard) {
        counts.Pending += c.Pending;
        counts.Delivered += c.Delivered;
        counts.Refused += c.Refused;
      }
      return counts;
    },
    listChildren: async (parentId, q) => {
      let { shard, lastId } =
        q.cursor === undefined
          ? { shard: 0, lastId: undefined as string | undefined }
          : decodeChildCursor(q.cursor, CHILD_SHARDS);
      const items: ChildView[] = [];
      for (let pages = 0; pages < MAX_QUERY_PAGES && shard < CHILD_SHARDS; pages++) {
        const res = await queryShard(ctx, parentId, shard, {
          limit: q.status === undefined ? q.limit - items.length : 100,
          lastId,
          ...(q.status !== undefined ? { status: q.status } : {}),
        });
        for (const entry of res.items) {
          if (items.length < q.limit) items.push(childView(entry));
        }
        const full = items.length >= q.limit;
        if (full) {
          const last = items.at(-1)?.id;
          // More in this shard (or the page was cut), or more shards after it.
          return { items, nextCursor: encodeChildCursor(shard, last) };
        }
        if (res.lastId === undefined) {
          shard += 1;
          lastId = undefined;
        } else {
          lastId = res.lastId;
        }
      }
      return shard >= CHILD_SHARDS
        ? { items }
        : { items, nextCursor: encodeChildCursor(shard, lastId) };
    },
  };
}

async function countShard(
  ctx: StoreContext,
  parentId: string,
  shard: number,
): Promise<ChildCounts> {
  const counts: ChildCounts = { Pending: 0, Delivered: 0, Refused: 0 };
  let lastId: string | undefined;
  do {
    const res = await queryShard(ctx, parentId, shard, { limit: 1000, lastId });
    for (const entry of res.items) {
      const status = entry.status as NotificationStatus;
      if (status in counts) counts[status] += 1;
    }
    lastId = res.lastId;
  } while (lastId !== undefined);
  return counts;
}

async function queryShard(
  ctx: StoreContext,
  parentId: string,
  shard: number,
  q: { limit: number; lastId: string | undefined; status?: NotificationStatus },
): Promise<{ items: Record<string, unknown>[]; lastId?: string }> {
  const parentShard = `${parentId}#${shard}`;
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: BY_PARENT_INDEX,
        KeyConditionExpression: '#ps = :ps',
        ...(q.status !== undefined ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: {
          '#ps': 'parentShard',
          ...(q.status !== undefined ? { '#status': 'status' } : {}),
        },
        ExpressionAttributeValues: {
          ':ps': parentShard,
          ...(q.status !== undefined ? { ':status': q.status } : {}),
        },
        Limit: Math.max(1, q.limit),
        ...(q.lastId !== undefined
          ? { ExclusiveStartKey: { pk: notificationPk(q.lastId), parentShard, id: q.lastId } }
          : {}),
      }),
    );
    const last: unknown = res.LastEvaluatedKey?.id;
    return { items: res.Items ?? [], ...(typeof last === 'string' ? { lastId: last } : {}) };
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
}

function childView(entry: Record<string, unknown>): ChildView {
  const view: ChildView = {
    id: String(entry.id),
    recipient: String(entry.recipientId),
    channel: String(entry.channel) as Channel,
    status: String(entry.status) as NotificationStatus,
  };
  if (typeof entry.deviceId === 'string') view.deviceId = entry.deviceId;
  const reason = entry.reason as { code?: unknown; message?: unknown } | undefined;
  if (typeof reason?.code === 'string' && typeof reason.message === 'string') {
    view.reason = { code: storedRefusalCode(reason.code), message: reason.message };
  }
  return view;
}
