import type { ListPage, ListQuery, NotificationRecord } from '@herald/core';
import { positionOf, queryClientKeys } from './dynamo-list-keys';
import type { Key, ListedKey } from './dynamo-list-keys';
import { cursorToStartKey, encodeCursor } from './list-cursor';
import type { ListPosition } from './list-cursor';
import type { StoreContext } from './store-context';

// A status filter runs on index entries, so a Query can come back short or empty when few match.
// Look at bigger pages then, and stop after this many so one call stays bounded (at most 1,000
// entries of about 130 bytes: some 16 read units); the caller gets a shorter page and a cursor.
const FILTERED_PAGE_SIZE = 100;
const MAX_PAGES = 10;

/**
 * Reads one notification, `undefined` when there is none: the store's batched reader
 * (dynamo-batch-get.ts), so one page's reads share BatchGetItem calls.
 */
export type ReadNotification = (id: string) => Promise<NotificationRecord | undefined>;

/**
 * A client's notifications, newest first (`createdAt`, then id, descending): byClientStatus
 * entries (filtered by status there), then only the page's items through `read`, strongly
 * consistent, so each carries its current status. Looks one entry past the page, without reading
 * its item, so `nextCursor` is set only when more items exist, as in the in-memory store, except
 * when a filtered read hits its page budget. An item the index lists but the table no longer has,
 * or whose status has moved on since its entry was written, is left out. Throws
 * `VALIDATION_FAILED` for a bad cursor, and whatever `read` or the Query throws (`UNAVAILABLE`,
 * `INTERNAL`).
 */
export async function listByClient(
  ctx: StoreContext,
  read: ReadNotification,
  clientId: string,
  query: ListQuery,
): Promise<ListPage> {
  if (query.limit < 1) return { items: [] };
  const { status } = query;
  let startKey: Key | undefined =
    query.cursor === undefined ? undefined : cursorToStartKey(query.cursor, clientId);
  const listed: ListedKey[] = [];
  for (let page = 0; page < MAX_PAGES && listed.length <= query.limit; page++) {
    const wanted = query.limit + 1 - listed.length;
    const limit = status === undefined ? wanted : Math.max(wanted, FILTERED_PAGE_SIZE);
    const res = await queryClientKeys(ctx, clientId, {
      limit,
      startKey,
      ...(status && { status }),
    });
    listed.push(...res.keys);
    startKey = res.lastKey;
    if (startKey === undefined) break;
  }
  const pageKeys = listed.slice(0, query.limit);
  let resumeFrom: ListPosition | undefined;
  if (listed.length > query.limit) resumeFrom = pageKeys.at(-1)?.position;
  else if (startKey !== undefined) resumeFrom = positionOf(startKey);
  // Asked for together, so the reader sends them in as few BatchGetItem calls as it can.
  const records = await Promise.all(pageKeys.map((key) => read(key.id)));
  return {
    items: records.filter(
      (r): r is NotificationRecord =>
        r !== undefined && (status === undefined || r.status === status),
    ),
    ...(resumeFrom === undefined ? {} : { nextCursor: encodeCursor(resumeFrom) }),
  };
}
