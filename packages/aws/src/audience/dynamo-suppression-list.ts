import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  AppError,
  SUPPRESSION_PAGE_SIZE,
  decodeSuppressionCursor,
  encodeSuppressionCursor,
  type SuppressionEntry,
  type SuppressionList,
  type SuppressionReason,
} from '@herald/core';
import { toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { deleteItem, putItem } from './audience-io';

export interface DynamoSuppressionListOptions {
  /** The audience table (`HERALD_AUDIENCE_TABLE_NAME`, see `audienceTableDefinition`). */
  doc: StoreContext['doc'];
  tableName: string;
}

/** A client's suppression list: one partition per client; client ids never contain `#`. */
export const suppressionPk = (clientId: string): string => `C#${clientId}#SUPP`;

/** BatchGetItem takes at most 100 keys; an email has at most 50 addresses. */
const BATCH_GET_MAX = 100;
const UNPROCESSED_RETRIES = 3;

/**
 * The suppression list in the audience table: each entry is one small item (≈ 200 bytes)
 * `pk = C#<clientId>#SUPP`, `sk = <address key>` (`email:…`, `sms:…`, `whatsapp:…`, `push:…`),
 * with `reason`, `notificationId` and `createdAt`. Looking up a send's addresses is one
 * BatchGetItem (strongly consistent, so a lifted entry is lifted for the next send); listing is a
 * Query of the client's partition, 100 entries a page, so neither ever holds the whole list. The
 * list grows only by provider verdicts on addresses the client sent to, one item each.
 */
export function createDynamoSuppressionList(
  options: DynamoSuppressionListOptions,
): SuppressionList {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  return {
    async isSuppressed(clientId, addresses) {
      const unique = [...new Set(addresses)];
      const found = new Set<string>();
      for (let i = 0; i < unique.length; i += BATCH_GET_MAX) {
        const keys = unique
          .slice(i, i + BATCH_GET_MAX)
          .map((sk) => ({ pk: suppressionPk(clientId), sk }));
        for (const sk of await batchGetKeys(ctx, keys)) found.add(sk);
      }
      return found;
    },

    async add(clientId, entry) {
      await putItem(ctx, {
        pk: suppressionPk(clientId),
        sk: entry.address,
        kind: 'suppression',
        reason: entry.reason,
        ...(entry.notificationId === undefined ? {} : { notificationId: entry.notificationId }),
        createdAt: entry.createdAt,
      });
    },

    async list(clientId, cursor) {
      const after = cursor === undefined ? undefined : decodeSuppressionCursor(cursor);
      const page = await queryPartition(ctx, suppressionPk(clientId), after);
      const items = page.items.map(entryOf);
      const last = items.at(-1);
      return {
        items,
        ...(page.more && last ? { nextCursor: encodeSuppressionCursor(last.address) } : {}),
      };
    },

    remove(clientId, address) {
      return deleteItem(ctx, { pk: suppressionPk(clientId), sk: address });
    },
  };
}

/** One page of the client's entries after `after`, in address order. */
async function queryPartition(
  ctx: StoreContext,
  pk: string,
  after: string | undefined,
): Promise<{ items: Record<string, unknown>[]; more: boolean }> {
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        Limit: SUPPRESSION_PAGE_SIZE,
        ...(after === undefined ? {} : { ExclusiveStartKey: { pk, sk: after } }),
      }),
    );
    return { items: res.Items ?? [], more: res.LastEvaluatedKey !== undefined };
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
}

/** The sort keys of the items that exist among `keys`; unprocessed keys are asked again. */
async function batchGetKeys(
  ctx: StoreContext,
  keys: { pk: string; sk: string }[],
): Promise<string[]> {
  const found: string[] = [];
  let pending = keys;
  for (let round = 0; pending.length > 0; round++) {
    if (round > UNPROCESSED_RETRIES) {
      throw new AppError('UNAVAILABLE', 'DynamoDB did not read the suppression list (throttled)');
    }
    try {
      const res = await ctx.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [ctx.tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ProjectionExpression: 'sk',
            },
          },
        }),
      );
      for (const item of res.Responses?.[ctx.tableName] ?? []) {
        if (typeof item.sk === 'string') found.push(item.sk);
      }
      pending = (res.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []) as typeof keys;
    } catch (err) {
      throw toStoreError(err, 'DynamoDB BatchGetItem');
    }
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
  }
  return found;
}

function entryOf(item: Record<string, unknown>): SuppressionEntry {
  return {
    address: String(item.sk),
    // Passed through as stored: an item written by a later version may hold a newer reason.
    reason: String(item.reason) as SuppressionReason,
    ...(typeof item.notificationId === 'string' ? { notificationId: item.notificationId } : {}),
    createdAt: String(item.createdAt),
  };
}
