import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import type { NotificationRecord } from '@herald/core';
import { toStoreError } from '../errors';
import { createMicroBatcher } from '../micro-batcher';
import { fromItem } from './notification-item';
import type { StoreContext } from './store-context';
import { notificationPk } from './table-schema';

/** DynamoDB takes at most 100 keys per BatchGetItem. */
const MAX_BATCH = 100;
const MAX_IN_FLIGHT = 8;
const RETRY_PAUSES_MS = [10, 50, 200];

/**
 * Strongly consistent reads of single notifications, gathered into BatchGetItem calls when many
 * arrive at once (status GETs and long-polls from many clients; see micro-batcher.ts). Each read
 * sees every write that completed before it was asked for, exactly like a consistent GetItem.
 * Keys DynamoDB leaves unprocessed are asked for again, then fail `UNAVAILABLE`; an item that
 * cannot be parsed fails only its own read (`INTERNAL`).
 */
export function createBatchedReader(
  ctx: StoreContext,
): (id: string) => Promise<NotificationRecord | undefined> {
  const batcher = createMicroBatcher<string, NotificationRecord | undefined>({
    maxBatch: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
    run: (ids) => readBatch(ctx, ids),
  });
  return (id) => batcher.add(id);
}

async function readBatch(
  ctx: StoreContext,
  ids: string[],
): Promise<PromiseSettledResult<NotificationRecord | undefined>[]> {
  // BatchGetItem refuses a key listed twice; two readers of one id share its answer.
  let pending = [...new Set(ids)];
  const found = new Map<string, Record<string, unknown>>();
  for (let round = 0; pending.length > 0; round++) {
    let unprocessed: Set<unknown>;
    try {
      const res = await ctx.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [ctx.tableName]: {
              Keys: pending.map((id) => ({ pk: notificationPk(id) })),
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of res.Responses?.[ctx.tableName] ?? []) {
        if (typeof item.id === 'string') found.set(item.id, item);
      }
      unprocessed = new Set(
        (res.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []).map((k): unknown => k.pk),
      );
    } catch (err) {
      throw toStoreError(err, 'DynamoDB BatchGetItem');
    }
    pending = pending.filter((id) => unprocessed.has(notificationPk(id)));
    const pause = RETRY_PAUSES_MS[round];
    if (pending.length === 0 || pause === undefined) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  const unread = new Set(pending);
  return ids.map((id): PromiseSettledResult<NotificationRecord | undefined> => {
    if (unread.has(id)) {
      return {
        status: 'rejected',
        reason: new AppError('UNAVAILABLE', 'DynamoDB did not read the notification (throttled)'),
      };
    }
    const item = found.get(id);
    try {
      return { status: 'fulfilled', value: item === undefined ? undefined : fromItem(item) };
    } catch (err) {
      return { status: 'rejected', reason: err };
    }
  });
}
