import type { StatusEvent } from '@herald/core';
import { dueInShard } from './dynamo-sweep';
import { statusEventFromItem } from './notification-item';
import { conditionalUpdate, readItem } from './store-context';
import type { StoreContext } from './store-context';
import { owedEventShard } from './table-schema';

/**
 * The status-event outbox on the bySweep index (no index of its own): a final write that owes
 * an event sets `owedEventId` and moves the item's sweep entry to shard `E<shard>` with `sweepAt`
 * = the write's time. Ids of notifications whose event has been owed since at or before
 * `before`, oldest first, at most `limit`; queries every owed-event shard.
 */
export async function findOwedEvents(
  ctx: StoreContext,
  shards: number,
  before: string,
  limit: number,
): Promise<string[]> {
  if (limit < 1) return [];
  const perShard = await Promise.all(
    Array.from({ length: shards }, (_, shard) =>
      dueInShard(ctx, owedEventShard(String(shard)), before, limit),
    ),
  );
  return perShard
    .flat()
    .sort((a, b) => (a.sweepAt < b.sweepAt ? -1 : a.sweepAt > b.sweepAt ? 1 : 0))
    .slice(0, limit)
    .map((owed) => owed.id);
}

/** The owed event, built from the item (strongly consistent read); `undefined` if none is owed. */
export async function owedEvent(ctx: StoreContext, id: string): Promise<StatusEvent | undefined> {
  const item = await readItem(ctx, id);
  const eventId: unknown = item?.owedEventId;
  if (item === undefined || typeof eventId !== 'string') return undefined;
  return statusEventFromItem(item, id, eventId);
}

/** Clears the outbox entry if `eventId` is still the one owed; a no-op otherwise. */
export async function clearOwedEvent(
  ctx: StoreContext,
  id: string,
  eventId: string,
): Promise<void> {
  // Conditional on the same event: a clear never removes an entry it did not publish. Only
  // final items carry `owedEventId`, so this never touches a Pending item's sweep entry.
  await conditionalUpdate(ctx, id, {
    ConditionExpression: '#owed = :eventId',
    UpdateExpression: 'REMOVE #owed, #sweepShard, #sweepAt',
    ExpressionAttributeNames: {
      '#owed': 'owedEventId',
      '#sweepShard': 'sweepShard',
      '#sweepAt': 'sweepAt',
    },
    ExpressionAttributeValues: { ':eventId': eventId },
  });
}
