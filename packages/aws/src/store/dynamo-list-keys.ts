import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import type { NotificationStatus } from '@herald/core';
import { toStoreError } from '../errors';
import type { ListPosition } from './list-cursor';
import type { StoreContext } from './store-context';
import { BY_CLIENT_STATUS_INDEX, notificationIdOf } from './table-schema';

/** A DynamoDB key as the SDK's document client takes and returns it. */
export type Key = Record<string, unknown>;

/** One byClientStatus entry: the notification it lists and where it sits in the index. */
export interface ListedKey {
  id: string;
  position: ListPosition;
}

/** A page of byClientStatus entries and DynamoDB's `LastEvaluatedKey` (`undefined` at the end). */
export interface KeyPage {
  keys: ListedKey[];
  lastKey: Key | undefined;
}

/** What one index Query looks at: `limit` entries after `startKey`, kept if of `status`. */
export interface KeyQuery {
  limit: number;
  startKey: Key | undefined;
  status?: NotificationStatus;
}

/**
 * A client's byClientStatus entries, newest first: `limit` entries are looked at after
 * `startKey`, and with `status` only those of that status come back (the filter runs on the
 * entries' projected status, so a page may hold fewer than `limit`, or none, while `lastKey`
 * says where to go on). The index is eventually consistent: an entry's status may lag its item.
 * Throws `UNAVAILABLE` or `INTERNAL` (toStoreError), and `INTERNAL` for an entry that is not a
 * notification's.
 */
export async function queryClientKeys(
  ctx: StoreContext,
  clientId: string,
  query: KeyQuery,
): Promise<KeyPage> {
  let items: Key[];
  let lastKey: Key | undefined;
  try {
    const res = await ctx.doc.send(new QueryCommand(queryInput(ctx, clientId, query)));
    items = res.Items ?? [];
    lastKey = res.LastEvaluatedKey;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
  return { keys: items.map(toListedKey), lastKey };
}

function queryInput(ctx: StoreContext, clientId: string, query: KeyQuery): QueryCommandInput {
  const filtered = query.status !== undefined;
  return {
    TableName: ctx.tableName,
    IndexName: BY_CLIENT_STATUS_INDEX,
    KeyConditionExpression: '#clientId = :clientId',
    ...(filtered ? { FilterExpression: '#status = :status' } : {}),
    ProjectionExpression: '#pk, #createdKey',
    ExpressionAttributeNames: {
      '#clientId': 'clientId',
      '#pk': 'pk',
      '#createdKey': 'createdKey',
      ...(filtered ? { '#status': 'status' } : {}),
    },
    ExpressionAttributeValues: {
      ':clientId': clientId,
      ...(filtered ? { ':status': query.status } : {}),
    },
    ScanIndexForward: false,
    Limit: query.limit,
    ExclusiveStartKey: query.startKey,
  };
}

/** The position of an index key (an entry or a `LastEvaluatedKey`). Throws `INTERNAL`. */
export function positionOf(key: Key): ListPosition {
  const { pk, createdKey } = key;
  if (typeof pk !== 'string' || typeof createdKey !== 'string') {
    throw new AppError('INTERNAL', 'byClientStatus index returned a key without pk or createdKey');
  }
  return { pk, createdKey };
}

function toListedKey(item: Key): ListedKey {
  const position = positionOf(item);
  const id = notificationIdOf(position.pk);
  if (id === undefined) {
    throw new AppError('INTERNAL', 'byClientStatus index listed a non-notification');
  }
  return { id, position };
}
