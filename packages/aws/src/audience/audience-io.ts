import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { PREFS_SK, PROFILE_SK, recipientPk } from './audience-table';

/** A key of the audience table. */
export interface AudienceKey {
  pk: string;
  sk: string;
}

/** Strongly consistent GetItem; `undefined` when there is no such item. */
export async function getItem(
  ctx: StoreContext,
  key: AudienceKey,
): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await ctx.doc.send(
      new GetCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: true }),
    );
    return res.Item;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB GetItem');
  }
}

/** PutItem (unconditional); resolves with the item it replaced, if any. */
export async function putItem(
  ctx: StoreContext,
  item: AudienceKey & Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await ctx.doc.send(
      new PutCommand({ TableName: ctx.tableName, Item: item, ReturnValues: 'ALL_OLD' }),
    );
    return res.Attributes;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB PutItem');
  }
}

/** DeleteItem; `true` when there was an item. */
export async function deleteItem(ctx: StoreContext, key: AudienceKey): Promise<boolean> {
  try {
    const res = await ctx.doc.send(
      new DeleteCommand({ TableName: ctx.tableName, Key: key, ReturnValues: 'ALL_OLD' }),
    );
    return res.Attributes !== undefined;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB DeleteItem');
  }
}

/**
 * One page of the items of partition `pk` whose sort key starts with `prefix`, after the sort key
 * `after` (exclusive), in sort-key order: at most `limit` items, and whether more may follow.
 */
export async function queryPage(
  ctx: StoreContext,
  p: { pk: string; prefix: string; after?: string; limit: number },
): Promise<{ items: Record<string, unknown>[]; more: boolean }> {
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': p.pk, ':prefix': p.prefix },
        ConsistentRead: true,
        Limit: p.limit,
        ...(p.after === undefined ? {} : { ExclusiveStartKey: { pk: p.pk, sk: p.after } }),
      }),
    );
    return { items: res.Items ?? [], more: res.LastEvaluatedKey !== undefined };
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
}

/**
 * A recipient's `PROFILE` and `PREFS` items in one strongly consistent Query (they sort next to
 * each other), limited to `attributes`; either is `undefined` when absent.
 */
export async function readProfileAndPrefs(
  ctx: StoreContext,
  clientId: string,
  recipientId: string,
  attributes: readonly string[],
): Promise<{ profile?: Record<string, unknown>; prefs?: Record<string, unknown> }> {
  const names = ['sk', ...attributes];
  let items: Record<string, unknown>[];
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :prefs AND :profile',
        ExpressionAttributeValues: {
          ':pk': recipientPk(clientId, recipientId),
          ':prefs': PREFS_SK,
          ':profile': PROFILE_SK,
        },
        ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(names.map((a, i) => [`#a${i}`, a])),
        ConsistentRead: true,
      }),
    );
    items = res.Items ?? [];
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
  const profile = items.find((item) => item.sk === PROFILE_SK);
  const prefs = items.find((item) => item.sk === PREFS_SK);
  return { ...(profile ? { profile } : {}), ...(prefs ? { prefs } : {}) };
}
