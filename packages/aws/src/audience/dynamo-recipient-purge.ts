import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import { chunk } from '../batches';
import { toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { PROFILE_SK } from './audience-table';
import { subscriberSk, topicPk } from './topic-item';

/** BatchWriteItem takes at most 25 requests. */
export const BATCH_WRITE_SIZE = 25;
const PAGE_SIZE = 100;
const UNPROCESSED_TRIES = 5;

/**
 * Deletes every item of the partition `pk` (the recipient `recipientId` of `clientId`) except the
 * profile, page by page (never the whole partition in memory). The profile is deleted before this
 * runs, so nothing resolves to the recipient any more; if it exists again, the recipient was
 * created anew meanwhile and keeps it. A subscription (`SUB#<topicId>`) also has an item in the
 * topic's partition: that one is deleted first, so a retry after a failure in between still finds
 * the recipient's item and with it the topic's. Returns how many items of the partition were
 * deleted. Safe to run again after a failure part-way.
 */
export async function purgePartition(
  ctx: StoreContext,
  pk: string,
  owner: { clientId: string; recipientId: string },
): Promise<number> {
  let deleted = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryKeys(ctx, pk, startKey);
    const keys = page.keys.filter((key) => key.sk !== PROFILE_SK);
    const topicSide = keys.flatMap((key) =>
      key.sk.startsWith('SUB#')
        ? [{ pk: topicPk(owner.clientId, key.sk.slice(4)), sk: subscriberSk(owner.recipientId) }]
        : [],
    );
    for (const batch of chunk(topicSide, BATCH_WRITE_SIZE)) await deleteBatch(ctx, batch);
    for (const batch of chunk(keys, BATCH_WRITE_SIZE)) await deleteBatch(ctx, batch);
    deleted += keys.length;
    startKey = page.next;
  } while (startKey !== undefined);
  return deleted;
}

async function queryKeys(
  ctx: StoreContext,
  pk: string,
  startKey: Record<string, unknown> | undefined,
): Promise<{ keys: { pk: string; sk: string }[]; next?: Record<string, unknown> }> {
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        Limit: PAGE_SIZE,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const keys = (res.Items ?? []).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    return { keys, ...(res.LastEvaluatedKey ? { next: res.LastEvaluatedKey } : {}) };
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
}

/** Deletes up to 25 items with BatchWriteItem, retrying what DynamoDB leaves unprocessed. */
export async function deleteBatch(
  ctx: StoreContext,
  keys: { pk: string; sk: string }[],
): Promise<void> {
  let requests = keys.map((key) => ({ DeleteRequest: { Key: key } }));
  for (let tries = 0; requests.length > 0; tries++) {
    if (tries === UNPROCESSED_TRIES) {
      throw new AppError('UNAVAILABLE', 'DynamoDB kept leaving deletes unprocessed; try again');
    }
    if (tries > 0) await sleep(50 * 2 ** tries);
    try {
      const res = await ctx.doc.send(
        new BatchWriteCommand({ RequestItems: { [ctx.tableName]: requests } }),
      );
      requests = (res.UnprocessedItems?.[ctx.tableName] ?? []).flatMap((r) =>
        r.DeleteRequest?.Key
          ? [{ DeleteRequest: { Key: r.DeleteRequest.Key as (typeof keys)[0] } }]
          : [],
      );
    } catch (err) {
      throw toStoreError(err, 'DynamoDB BatchWriteItem');
    }
  }
}
