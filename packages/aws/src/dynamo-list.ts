import type { ListPage, ListQuery, NotificationRecord, NotificationStatus } from '@herald/core';
import { positionOf, queryClientKeys } from './dynamo-list-keys';
import type { Key, ListedKey } from './dynamo-list-keys';
import { cursorToStartKey, encodeCursor } from './list-cursor';
import type { ListPosition } from './list-cursor';
import type { StoreContext } from './store-context';

// byClient holds keys only, so the status filter runs on the items after they are read and a
// page can come back short or empty. Read bigger pages then, and stop after this many so one
// call stays bounded; the caller gets a shorter page and a cursor to go on from.
const FILTERED_PAGE_SIZE = 100;
const MAX_PAGES = 10;

/**
 * Reads one notification, `undefined` when there is none: the store's batched reader
 * (dynamo-batch-get.ts), so one page's reads share BatchGetItem calls.
 */
export type ReadNotification = (id: string) => Promise<NotificationRecord | undefined>;

interface Listed {
  record: NotificationRecord;
  position: ListPosition;
}

/**
 * A client's notifications, newest first (`createdAt`, then id, descending): byClient keys, then
 * the items themselves through `read`, strongly consistent, so each carries its current status.
 * Reads one item past the page so `nextCursor` is set only when more items exist, as in the
 * in-memory store, except when a filtered read hits its page budget. An item the index lists but
 * the table no longer has is skipped. Throws `VALIDATION_FAILED` for a bad cursor, and whatever
 * `read` or the Query throws (`UNAVAILABLE`, `INTERNAL`).
 */
export async function listByClient(
  ctx: StoreContext,
  read: ReadNotification,
  clientId: string,
  query: ListQuery,
): Promise<ListPage> {
  if (query.limit < 1) return { items: [] };
  let startKey: Key | undefined =
    query.cursor === undefined ? undefined : cursorToStartKey(query.cursor, clientId);
  const listed: Listed[] = [];
  for (let page = 0; page < MAX_PAGES && listed.length <= query.limit; page++) {
    const wanted = query.limit + 1 - listed.length;
    const size = query.status === undefined ? wanted : Math.max(wanted, FILTERED_PAGE_SIZE);
    const res = await queryClientKeys(ctx, clientId, size, startKey);
    listed.push(...(await readListed(read, res.keys, query.status)));
    startKey = res.lastKey;
    if (startKey === undefined) break;
  }
  const pageItems = listed.slice(0, query.limit);
  let resumeFrom: ListPosition | undefined;
  if (listed.length > query.limit) resumeFrom = pageItems.at(-1)?.position;
  else if (startKey !== undefined) resumeFrom = positionOf(startKey);
  return {
    items: pageItems.map((l) => l.record),
    ...(resumeFrom === undefined ? {} : { nextCursor: encodeCursor(resumeFrom) }),
  };
}

/** The listed items that exist and match `status`, in the index's order. */
async function readListed(
  read: ReadNotification,
  keys: ListedKey[],
  status: NotificationStatus | undefined,
): Promise<Listed[]> {
  // Asked for together, so the reader sends them in as few BatchGetItem calls as it can. Each
  // item is a consistent read (a read unit per 4 KB, rounded up per item): listing costs more
  // reads than a Query of an ALL index, a trade for the writes every notification saves.
  const records = await Promise.all(keys.map((key) => read(key.id)));
  return keys.flatMap((key, i): Listed[] => {
    const record = records[i];
    // Items are never deleted today; skipping keeps a lagging index entry from failing the page.
    if (record === undefined || (status !== undefined && record.status !== status)) return [];
    return [{ record, position: key.position }];
  });
}
