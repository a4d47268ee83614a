import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import { toStoreError } from '../errors';
import { createMicroBatcher } from '../micro-batcher';
import type { NotificationItem } from './notification-item';
import type { StoreContext } from './store-context';

/** DynamoDB takes at most 25 puts per BatchWriteItem. */
const MAX_BATCH = 25;
const MAX_IN_FLIGHT = 8;
/** Unprocessed items (throttling) are tried again after these pauses, then reported. */
const RETRY_PAUSES_MS = [10, 50, 200];

/**
 * Writes new notification items through BatchWriteItem, gathering concurrent creates into one
 * call (see micro-batcher.ts). Only for items whose id is fresh and random (130 bits): a batch
 * put cannot carry a condition, so an existing item would be overwritten, which for a random id
 * cannot happen in practice. Creates with an Idempotency-Key keep the conditional PutItem.
 *
 * Each create resolves once its item is durably written, or rejects alone: items DynamoDB leaves
 * unprocessed are retried and then fail `UNAVAILABLE`; if DynamoDB refuses the whole batch as
 * invalid, every item is put on its own so one bad item cannot fail the others.
 */
export function createBatchedItemWriter(
  ctx: StoreContext,
): (item: NotificationItem) => Promise<void> {
  const batcher = createMicroBatcher<NotificationItem, void>({
    maxBatch: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
    run: (items) => writeBatch(ctx, items),
  });
  return (item) => batcher.add(item);
}

async function writeBatch(
  ctx: StoreContext,
  items: NotificationItem[],
): Promise<PromiseSettledResult<void>[]> {
  let pending = items;
  for (let round = 0; pending.length > 0; round++) {
    let unprocessed: Set<unknown>;
    try {
      const res = await ctx.doc.send(
        new BatchWriteCommand({
          RequestItems: { [ctx.tableName]: pending.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      unprocessed = new Set(
        (res.UnprocessedItems?.[ctx.tableName] ?? []).map((r): unknown => r.PutRequest?.Item?.pk),
      );
    } catch (err) {
      if (isValidationError(err)) return putEachAlone(ctx, items);
      throw toStoreError(err, 'DynamoDB BatchWriteItem');
    }
    pending = pending.filter((item) => unprocessed.has(item.pk));
    const pause = RETRY_PAUSES_MS[round];
    if (pending.length === 0 || pause === undefined) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  const failed = new Set(pending);
  return items.map((item) =>
    failed.has(item)
      ? {
          status: 'rejected',
          reason: new AppError(
            'UNAVAILABLE',
            'DynamoDB did not write the notification (throttled)',
          ),
        }
      : { status: 'fulfilled', value: undefined },
  );
}

function putEachAlone(ctx: StoreContext, items: NotificationItem[]) {
  return Promise.allSettled(
    items.map(async (Item) => {
      try {
        await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item }));
      } catch (err) {
        throw toStoreError(err, 'DynamoDB PutItem');
      }
    }),
  );
}

function isValidationError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ValidationException';
}
