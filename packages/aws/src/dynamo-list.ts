import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import type { ListPage, ListQuery } from '@herald/core';
import { toStoreError } from './errors';
import { cursorToStartKey, encodeCursor } from './list-cursor';
import { fromItem } from './notification-item';
import type { StoreContext } from './store-context';
import { BY_CLIENT_INDEX } from './table-schema';

// A status filter is applied after DynamoDB reads a page, so a page can come back short or
// empty. Read bigger pages then, and stop after this many so one call stays bounded; the caller
// gets a shorter page and a cursor to go on from.
const FILTERED_PAGE_SIZE = 100;
const MAX_PAGES = 10;

type Key = Record<string, unknown>;

/**
 * A client's notifications, newest first (`createdAt`, then id, descending). Reads one item past
 * the page so `nextCursor` is set only when more items exist, as in the in-memory store, except
 * when a filtered read hits its page budget. Throws `VALIDATION_FAILED` for a bad cursor.
 */
export async function listByClient(
  ctx: StoreContext,
  clientId: string,
  query: ListQuery,
): Promise<ListPage> {
  if (query.limit < 1) return { items: [] };
  let startKey: Key | undefined =
    query.cursor === undefined ? undefined : cursorToStartKey(query.cursor, clientId);
  const items: Key[] = [];
  for (let page = 0; page < MAX_PAGES && items.length <= query.limit; page++) {
    const wanted = query.limit + 1 - items.length;
    const res = await queryPage(ctx, clientId, query, wanted, startKey);
    items.push(...res.items);
    startKey = res.lastKey;
    if (startKey === undefined) break;
  }
  const pageItems = items.slice(0, query.limit);
  const last = pageItems.at(-1);
  let resumeFrom: Key | undefined;
  if (items.length > query.limit) resumeFrom = last;
  else if (startKey !== undefined) resumeFrom = startKey;
  return {
    items: pageItems.map(fromItem),
    ...(resumeFrom === undefined ? {} : { nextCursor: cursorFor(resumeFrom) }),
  };
}

async function queryPage(
  ctx: StoreContext,
  clientId: string,
  query: ListQuery,
  wanted: number,
  startKey: Key | undefined,
): Promise<{ items: Key[]; lastKey: Key | undefined }> {
  const filtered = query.status !== undefined;
  try {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: BY_CLIENT_INDEX,
        KeyConditionExpression: '#clientId = :clientId',
        ...(filtered ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: {
          '#clientId': 'clientId',
          ...(filtered ? { '#status': 'status' } : {}),
        },
        ExpressionAttributeValues: {
          ':clientId': clientId,
          ...(filtered ? { ':status': query.status } : {}),
        },
        ScanIndexForward: false,
        Limit: filtered ? Math.max(wanted, FILTERED_PAGE_SIZE) : wanted,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: res.Items ?? [], lastKey: res.LastEvaluatedKey };
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
}

function cursorFor(key: Key): string {
  const { pk, createdKey } = key;
  if (typeof pk !== 'string' || typeof createdKey !== 'string') {
    throw new AppError('INTERNAL', 'byClient index returned a key without pk or createdKey');
  }
  return encodeCursor({ pk, createdKey });
}
