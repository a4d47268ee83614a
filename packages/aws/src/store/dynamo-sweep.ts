import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SweepEntry } from '@herald/core';
import { toStoreError } from '../errors';
import { conditionalUpdate } from './store-context';
import type { StoreContext } from './store-context';
import { BY_SWEEP_INDEX, scheduledShard } from './table-schema';

/**
 * Pending notifications (id and `sweepAt`) whose `sweepAt` is at or before `now`, oldest first, at
 * most `limit`. Queries every bySweep shard; only Pending items are in that sparse index.
 */
export async function findDueForSweep(
  ctx: StoreContext,
  shards: number,
  now: string,
  limit: number,
): Promise<SweepEntry[]> {
  if (limit < 1) return [];
  const perShard = await Promise.all(
    Array.from({ length: shards }, (_, shard) => dueInShard(ctx, String(shard), now, limit)),
  );
  // Oldest first, so a backlog drains in the order it built up.
  return perShard
    .flat()
    .sort((a, b) => (a.sweepAt < b.sweepAt ? -1 : a.sweepAt > b.sweepAt ? 1 : 0))
    .slice(0, limit);
}

/** Ids in one bySweep partition whose `sweepAt` is at or before `now`, oldest first. */
export async function dueInShard(ctx: StoreContext, shard: string, now: string, limit: number) {
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: BY_SWEEP_INDEX,
        KeyConditionExpression: '#sweepShard = :shard AND #sweepAt <= :now',
        ExpressionAttributeNames: {
          '#sweepShard': 'sweepShard',
          '#sweepAt': 'sweepAt',
          '#id': 'id',
        },
        ExpressionAttributeValues: { ':shard': shard, ':now': now },
        ProjectionExpression: '#id, #sweepAt',
        Limit: limit,
      }),
    );
    return (res.Items ?? []).flatMap((item) =>
      typeof item.id === 'string' && typeof item.sweepAt === 'string'
        ? [{ id: item.id, sweepAt: item.sweepAt }]
        : [],
    );
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
}

/**
 * Scheduled notifications (shards `S<n>`, see `scheduledShard`) whose `sendAt` is at or before
 * `until`, soonest first, at most `limit`.
 */
export async function findScheduled(
  ctx: StoreContext,
  shards: number,
  until: string,
  limit: number,
): Promise<SweepEntry[]> {
  if (limit < 1) return [];
  const perShard = await Promise.all(
    Array.from({ length: shards }, (_, shard) =>
      dueInShard(ctx, scheduledShard(String(shard)), until, limit),
    ),
  );
  return perShard
    .flat()
    .sort((a, b) => (a.sweepAt < b.sweepAt ? -1 : a.sweepAt > b.sweepAt ? 1 : 0))
    .slice(0, limit);
}

/**
 * Moves a still-Pending notification's `sweepAt` forward, into its recovery shard `shard` (a
 * scheduled one leaves its `S` shard); a no-op for any other.
 */
export async function markSwept(
  ctx: StoreContext,
  id: string,
  nextSweepAt: string,
  shard: string,
): Promise<void> {
  // A failed condition means it became final (or never existed) since it was found: nothing to do.
  await conditionalUpdate(ctx, id, {
    ConditionExpression: '#status = :pending AND attribute_exists(#sweepAt)',
    UpdateExpression: 'SET #sweepAt = :next, #sweepShard = :shard',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#sweepAt': 'sweepAt',
      '#sweepShard': 'sweepShard',
    },
    ExpressionAttributeValues: { ':pending': 'Pending', ':next': nextSweepAt, ':shard': shard },
  });
}
