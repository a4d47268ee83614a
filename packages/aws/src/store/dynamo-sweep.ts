import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LANES, type Lane, type SweepEntry } from '@herald/core';
import { toStoreError } from '../errors';
import { conditionalUpdate } from './store-context';
import type { StoreContext } from './store-context';
import { BY_SWEEP_INDEX, laneShard, scheduledShard } from './table-schema';

/**
 * Pending notifications (id, `sweepAt`, lane) whose `sweepAt` is at or before `now`, at most
 * `limit`: of `lane` only when given (its shard family: `<n>`, or `B<n>` for the bulk lane),
 * else the transactional lane's first and then the bulk lane's. Oldest first within a lane. Only
 * Pending items are in those partitions of the sparse index.
 */
export async function findDueForSweep(
  ctx: StoreContext,
  shards: number,
  now: string,
  limit: number,
  lane?: Lane,
): Promise<SweepEntry[]> {
  return findInFamilies(ctx, shards, now, limit, lane, (shard) => shard);
}

async function findInFamilies(
  ctx: StoreContext,
  shards: number,
  until: string,
  limit: number,
  lane: Lane | undefined,
  family: (shard: string) => string,
): Promise<SweepEntry[]> {
  const entries: SweepEntry[] = [];
  for (const each of lane === undefined ? LANES : [lane]) {
    if (entries.length >= limit) break;
    const found = await findInLane(ctx, shards, until, limit - entries.length, (shard) =>
      family(laneShard(shard, each)),
    );
    entries.push(...(each === 'bulk' ? found.map((e) => ({ ...e, lane: each })) : found));
  }
  return entries;
}

/** The oldest entries due by `until` in the shards `family(0)`…`family(shards - 1)`. */
async function findInLane(
  ctx: StoreContext,
  shards: number,
  until: string,
  limit: number,
  family: (shard: string) => string,
): Promise<SweepEntry[]> {
  if (limit < 1) return [];
  const perShard = await Promise.all(
    Array.from({ length: shards }, (_, shard) =>
      dueInShard(ctx, family(String(shard)), until, limit),
    ),
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
 * Scheduled notifications (shards `S<n>`, and `SB<n>` for the bulk lane, see `scheduledShard`)
 * whose `sendAt` is at or before `until`, soonest first within a lane, at most `limit`; of `lane`
 * only when given, else the transactional lane's first.
 */
export async function findScheduled(
  ctx: StoreContext,
  shards: number,
  until: string,
  limit: number,
  lane?: Lane,
): Promise<SweepEntry[]> {
  return findInFamilies(ctx, shards, until, limit, lane, scheduledShard);
}

/**
 * Moves a still-Pending notification's `sweepAt` forward, into its recovery shard `shard` (its
 * lane's: a scheduled one leaves its `S`/`SB` shard); a no-op for any other.
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
