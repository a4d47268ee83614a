import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import { toStoreError } from './errors';
import type { ListPosition } from './list-cursor';
import type { StoreContext } from './store-context';
import { BY_CLIENT_INDEX, notificationIdOf } from './table-schema';

/** A DynamoDB key as the SDK's document client takes and returns it. */
export type Key = Record<string, unknown>;

/** One byClient entry: the notification it lists and where it sits in the index. */
export interface ListedKey {
  id: string;
  position: ListPosition;
}

/** A page of byClient entries and DynamoDB's `LastEvaluatedKey` (`undefined` at the end). */
export interface KeyPage {
  keys: ListedKey[];
  lastKey: Key | undefined;
}

/**
 * Up to `limit` of a client's byClient entries, newest first, after `startKey`. Asks for the key
 * attributes only, which a KEYS_ONLY index and an ALL-projected one (tables created before
 * KEYS_ONLY) answer alike, so listing works on both. Throws `UNAVAILABLE` or `INTERNAL`
 * (toStoreError), and `INTERNAL` for an entry that is not a notification's.
 */
export async function queryClientKeys(
  ctx: StoreContext,
  clientId: string,
  limit: number,
  startKey: Key | undefined,
): Promise<KeyPage> {
  let items: Key[];
  let lastKey: Key | undefined;
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: BY_CLIENT_INDEX,
        KeyConditionExpression: '#clientId = :clientId',
        ProjectionExpression: '#pk, #createdKey',
        ExpressionAttributeNames: {
          '#clientId': 'clientId',
          '#pk': 'pk',
          '#createdKey': 'createdKey',
        },
        ExpressionAttributeValues: { ':clientId': clientId },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    items = res.Items ?? [];
    lastKey = res.LastEvaluatedKey;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
  return { keys: items.map(toListedKey), lastKey };
}

/** The position of a byClient key (an entry or a `LastEvaluatedKey`). Throws `INTERNAL`. */
export function positionOf(key: Key): ListPosition {
  const { pk, createdKey } = key;
  if (typeof pk !== 'string' || typeof createdKey !== 'string') {
    throw new AppError('INTERNAL', 'byClient index returned a key without pk or createdKey');
  }
  return { pk, createdKey };
}

function toListedKey(item: Key): ListedKey {
  const position = positionOf(item);
  const id = notificationIdOf(position.pk);
  if (id === undefined) throw new AppError('INTERNAL', 'byClient index listed a non-notification');
  return { id, position };
}
