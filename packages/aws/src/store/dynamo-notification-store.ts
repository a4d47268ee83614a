import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import type { CreateResult, NotificationRecord, NotificationStore } from '@herald/core';
import { createBatchedItemWriter } from './dynamo-batch-create';
import { createBatchedReader } from './dynamo-batch-get';
import { claimNotification } from './dynamo-claim';
import { listByClient } from './dynamo-list';
import { clearOwedEvent, findOwedEvents, owedEvent } from './dynamo-outbox';
import { readStatus, refuseUnprocessable } from './dynamo-refuse';
import { cancelNotification } from './dynamo-cancel';
import { findDueForSweep, findScheduled, markSwept } from './dynamo-sweep';
import { completeNotification, recordReceipt, scheduleRetry } from './dynamo-transitions';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import {
  sweepShardOf,
  toItem,
  type NewItemSweep,
  type NotificationItem,
} from './notification-item';
import { readRecord } from './store-context';
import type { StoreContext } from './store-context';
import { DEFAULT_SWEEP_SHARDS, laneShard } from './table-schema';

export interface DynamoNotificationStoreOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /**
   * How many bySweep partitions Pending items are spread over. Every process sharing a table
   * must use the same value, or the sweeper misses items. Default 16.
   */
  sweepShards?: number;
}

/**
 * The NotificationStore on DynamoDB (or dynalite), with the semantics of core's
 * InMemoryNotificationStore. Every change to an existing item is one conditional single-item
 * write: no transactions, so dynalite runs the same code. New items with a random id are written
 * in batches (BatchWriteItem, see dynamo-batch-create.ts); with an Idempotency-Key the create is a
 * conditional PutItem, the idempotency check itself. Concurrent `get`s share consistent
 * BatchGetItem calls (dynamo-batch-get.ts). Reads are strongly consistent, except the index reads:
 * `findDueForSweep`, and the keys `listByClient` pages through (its items are then read through
 * the same batched reader), which may lag a write by a moment on real DynamoDB. Final writes
 * given an `owedEventId` keep a status-event outbox entry on the bySweep index (dynamo-outbox.ts).
 * Unreachable or throttled DynamoDB throws AppError `UNAVAILABLE`; other SDK failures `INTERNAL`.
 */
export function createDynamoNotificationStore(
  options: DynamoNotificationStoreOptions,
): NotificationStore {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  const shards = options.sweepShards ?? DEFAULT_SWEEP_SHARDS;
  if (!Number.isInteger(shards) || shards < 1) {
    throw new AppError('CONFIG_INVALID', 'sweepShards must be a positive integer');
  }
  const writeNew = createBatchedItemWriter(ctx);
  const read = createBatchedReader(ctx);
  return {
    create: (record, sweepAt, scheduled) =>
      create(ctx, writeNew, record, {
        shard: sweepShardOf(record.id, shards),
        at: sweepAt,
        scheduled: scheduled ?? false,
      }),
    get: read,
    listByClient: (clientId, query) => listByClient(ctx, read, clientId, query),
    claim: (id, c) => claimNotification(ctx, id, c),
    complete: (id, c) => completeNotification(ctx, id, c, sweepShardOf(id, shards)),
    recordReceipt: (id, r) => recordReceipt(ctx, id, r, sweepShardOf(id, shards)),
    scheduleRetry: (id, r) => scheduleRetry(ctx, id, r, sweepShardOf(id, shards)),
    findDueForSweep: (now, limit, lane) => findDueForSweep(ctx, shards, now, limit, lane),
    findScheduled: (until, limit, lane) => findScheduled(ctx, shards, until, limit, lane),
    markSwept: (id, next, lane) =>
      markSwept(ctx, id, next, laneShard(sweepShardOf(id, shards), lane)),
    refuseUnprocessable: (id, r) => refuseUnprocessable(ctx, id, r, sweepShardOf(id, shards)),
    cancel: (id, c) => cancelNotification(ctx, id, c, sweepShardOf(id, shards)),
    statusOf: (id) => readStatus(ctx, id),
    findOwedEvents: (before, limit) => findOwedEvents(ctx, shards, before, limit),
    owedEvent: (id) => owedEvent(ctx, id),
    clearOwedEvent: (id, eventId) => clearOwedEvent(ctx, id, eventId),
  };
}

async function create(
  ctx: StoreContext,
  writeNew: (item: NotificationItem) => Promise<void>,
  record: NotificationRecord,
  sweep: NewItemSweep,
): Promise<CreateResult> {
  const item = toItem(record, sweep);
  if (record.idempotencyKey === undefined) {
    // A fresh random id: nothing to collide with, so the put can join a batch.
    await writeNew(item);
    return { created: true };
  }
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: item,
        // Never overwrite: an existing id is an idempotent retry for the caller.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true };
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw toStoreError(err, 'DynamoDB PutItem');
  }
  const existing = await readRecord(ctx, record.id);
  // Items are never deleted, so the one that failed the condition is still there.
  if (existing === undefined) throw new AppError('INTERNAL', `notification ${record.id} vanished`);
  return { created: false, existing };
}
