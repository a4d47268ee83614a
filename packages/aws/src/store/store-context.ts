import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { NotificationRecord } from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import { fromItem } from './notification-item';
import { notificationPk } from './table-schema';

/** What every store operation needs: the document client and the table. */
export interface StoreContext {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * Strongly consistent GetItem of one notification's item, raw (nothing parsed), limited to
 * `attributes` when given; `undefined` when there is none. Throws toStoreError.
 */
export async function readItem(
  ctx: StoreContext,
  id: string,
  attributes?: readonly string[],
): Promise<Record<string, unknown> | undefined> {
  const projection =
    attributes === undefined
      ? {}
      : {
          ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
        };
  try {
    const res = await ctx.doc.send(
      new GetCommand({
        TableName: ctx.tableName,
        Key: { pk: notificationPk(id) },
        ConsistentRead: true,
        ...projection,
      }),
    );
    return res.Item;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB GetItem');
  }
}

/** Strongly consistent read of one notification; `undefined` when there is none. */
export async function readRecord(
  ctx: StoreContext,
  id: string,
): Promise<NotificationRecord | undefined> {
  const item = await readItem(ctx, id);
  return item === undefined ? undefined : fromItem(item);
}

/**
 * Runs a conditional UpdateItem on a notification. Resolves with the item's new attributes
 * (when asked for with `ReturnValues`), `{}` otherwise, or `undefined` when the condition did
 * not hold. Any other failure throws (toStoreError).
 */
export async function conditionalUpdate(
  ctx: StoreContext,
  id: string,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await ctx.doc.send(
      new UpdateCommand({ ...update, TableName: ctx.tableName, Key: { pk: notificationPk(id) } }),
    );
    return res.Attributes ?? {};
  } catch (err) {
    if (isConditionalCheckFailed(err)) return undefined;
    throw toStoreError(err, 'DynamoDB UpdateItem');
  }
}
