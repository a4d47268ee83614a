import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import type { CreateResult, NotificationRecord, NotificationStore } from '@herald/core';
import { claimNotification } from './dynamo-claim';
import { listByClient } from './dynamo-list';
import { readStatus, refuseUnprocessable } from './dynamo-refuse';
import { findDueForSweep, markSwept } from './dynamo-sweep';
import { completeNotification, recordReceipt, scheduleRetry } from './dynamo-transitions';
import { isConditionalCheckFailed, toStoreError } from './errors';
import { sweepShardOf, toItem } from './notification-item';
import { readRecord } from './store-context';
import type { StoreContext } from './store-context';

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
 * InMemoryNotificationStore. Every write is one conditional single-item write: no transactions,
 * so dynalite runs the same code. Reads are strongly consistent, except `listByClient` and
 * `findDueForSweep`, which read indexes and may lag a write by a moment on real DynamoDB.
 * Unreachable or throttled DynamoDB throws AppError `UNAVAILABLE`; other SDK failures `INTERNAL`.
 */
export function createDynamoNotificationStore(
  options: DynamoNotificationStoreOptions,
): NotificationStore {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  const shards = options.sweepShards ?? 16;
  if (!Number.isInteger(shards) || shards < 1) {
    throw new AppError('CONFIG_INVALID', 'sweepShards must be a positive integer');
  }
  return {
    create: (record, sweepAt) => create(ctx, record, sweepShardOf(record.id, shards), sweepAt),
    get: (id) => readRecord(ctx, id),
    listByClient: (clientId, query) => listByClient(ctx, clientId, query),
    claim: (id, c) => claimNotification(ctx, id, c),
    complete: (id, c) => completeNotification(ctx, id, c, sweepShardOf(id, shards)),
    recordReceipt: (id, r) => recordReceipt(ctx, id, r),
    scheduleRetry: (id, r) => scheduleRetry(ctx, id, r, sweepShardOf(id, shards)),
    findDueForSweep: (now, limit) => findDueForSweep(ctx, shards, now, limit),
    markSwept: (id, next) => markSwept(ctx, id, next),
    refuseUnprocessable: (id, r) => refuseUnprocessable(ctx, id, r),
    statusOf: (id) => readStatus(ctx, id),
  };
}

async function create(
  ctx: StoreContext,
  record: NotificationRecord,
  shard: string,
  sweepAt: string,
): Promise<CreateResult> {
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: toItem(record, { shard, at: sweepAt }),
        // Never overwrite: an existing id is an idempotent retry (or a collision) for the caller.
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
