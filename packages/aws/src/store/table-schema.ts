import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DEFAULT_TABLE_NAME } from '@herald/config';
import type { Lane } from '@herald/core';

/**
 * A client's notifications, newest first: hash `clientId`, range `createdKey`, projecting
 * `status` (INCLUDE), so a status filter runs on the index entries and listing reads only the
 * items of the page it returns (dynamo-list.ts).
 */
export const BY_CLIENT_STATUS_INDEX = 'byClientStatus';
/**
 * The listing index before `byClientStatus` (same keys, KEYS_ONLY or ALL): nothing reads it any
 * more. Tables set up before keep it until an operator deletes it (README, upgrade step).
 */
export const BY_CLIENT_INDEX = 'byClient';
/** Sparse: only Pending notifications carry `sweepShard`/`sweepAt`. */
export const BY_SWEEP_INDEX = 'bySweep';
/**
 * A topic send's children: hash `parentShard` (`<parentId>#<n>`, n < CHILD_SHARDS), range `id`,
 * projecting what the children list and the parent's counts need. Sharded so a fan-out of
 * 100,000 children does not write one index partition at more than it takes.
 */
export const BY_PARENT_INDEX = 'byParent';
export const CHILD_SHARDS = 16;
/** A client's sends to one topic, newest first: hash `clientTopic`, range `topicSendKey`. */
export const BY_TOPIC_INDEX = 'byTopic';
/** Every revocation sits in one partition (`revokedShard = "R"`), ordered by `until`. */
export const BY_REVOCATION_INDEX = 'byRevocation';

/**
 * The bySweep partition of a final notification whose status event is still owed (the outbox):
 * `E<shard>`, apart from the Pending shards `0`…`n-1`, so the sweeper never sees it and the
 * relay's recovery scan queries only these. Its `sweepAt` is the final write's time.
 */
export const owedEventShard = (shard: string): string => `E${shard}`;

/**
 * The bySweep partition of a scheduled notification that has no queue message yet (its `sendAt`
 * was beyond SQS's delay limit at accept): `S<shard>`, with `sweepAt` = `sendAt`. Apart from the
 * recovery shards, so the sweeper can look ahead here (enqueueing with a delay) without touching
 * recovery entries early; the sweep that enqueues it moves it back to `<shard>`.
 */
export const scheduledShard = (shard: string): string => `S${shard}`;

/**
 * The bySweep partition of a Pending notification of the bulk lane (a topic send's child):
 * `B<shard>`, a shard family of its own, because the index projects only `id` (and an index's
 * projection cannot change on an existing table): the family tells the sweeper which queue a
 * lost message goes back to without reading the item, and lets it serve the transactional
 * shards first. Scheduled ones are `SB<shard>` (`scheduledShard` of this). Once final, a bulk
 * item's owed event goes to `E<shard>` like any other.
 */
export const bulkShard = (shard: string): string => `B${shard}`;

/** The recovery partition of a Pending notification of `lane` in base shard `shard`. */
export const laneShard = (shard: string, lane: Lane | undefined): string =>
  lane === 'bulk' ? bulkShard(shard) : shard;

/**
 * The bySweep partition a new Pending notification is written to: its lane's recovery shard, or,
 * `scheduled` (no queue message yet), that shard's scheduled twin.
 */
export const newItemShard = (shard: string, lane: Lane | undefined, scheduled: boolean): string =>
  scheduled ? scheduledShard(laneShard(shard, lane)) : laneShard(shard, lane);

/** The one partition of the byRevocation index; revocations are few, so one is enough. */
export const REVOKED_SHARD = 'R';

/** How many bySweep partitions Pending items are spread over, unless a store is told otherwise. */
export const DEFAULT_SWEEP_SHARDS = 16;

export const notificationPk = (id: string): string => `N#${id}`;
/** The notification id of a table key made by `notificationPk`; `undefined` for any other key. */
export const notificationIdOf = (pk: string): string | undefined =>
  pk.startsWith('N#') && pk.length > 2 ? pk.slice(2) : undefined;
export const revocationPk = (jti: string): string => `REVOKED#${jti}`;
/** A client's settings (`herald client set`); see dynamo-client-settings.ts. */
export const clientPk = (clientId: string): string => `CLIENT#${clientId}`;
/** Sorts by creation time, then id, like the in-memory store does. */
export const createdKey = (createdAt: string, id: string): string => `${createdAt}#${id}`;

/**
 * The single-table layout (key `pk` only, on-demand billing):
 * - notification `N#<id>`: the record, plus `createdKey` for byClientStatus and, while Pending,
 *   `sweepShard`/`sweepAt` for bySweep (`B<shard>` on the bulk lane, with `lane = "bulk"`;
 *   `S<shard>` or `SB<shard>` while it waits for its `sendAt` with no queue
 *   message, and then the top-level `sendAt` in UTC for the claim's condition); once final and until its status event is published,
 *   `owedEventId` with `sweepShard = E<shard>` and `sweepAt` = the final write (the outbox);
 * - revocation `REVOKED#<jti>`: `until`, plus `revokedShard` for byRevocation.
 *
 * byClientStatus projects `status` and nothing else: its keys never change and the status changes
 * once (the final write), so an entry is written twice per notification (2 index write units; the
 * claim and retry writes leave it alone). The KEYS_ONLY byClient it replaces cost 1, but a status
 * filter then had to read items to drop them (up to 1,000 consistent reads per request); keyed
 * by `clientId#status` instead, the final write would move the entry (3 units) and items written
 * before the upgrade would lack the key, so the backfill could not list them.
 * `ensureInfrastructure` adds any index here that an existing table lacks.
 */
export function tableDefinition(tableName: string = DEFAULT_TABLE_NAME): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'clientId', AttributeType: 'S' },
      { AttributeName: 'createdKey', AttributeType: 'S' },
      { AttributeName: 'sweepShard', AttributeType: 'S' },
      { AttributeName: 'sweepAt', AttributeType: 'S' },
      { AttributeName: 'revokedShard', AttributeType: 'S' },
      { AttributeName: 'until', AttributeType: 'S' },
      { AttributeName: 'parentShard', AttributeType: 'S' },
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'clientTopic', AttributeType: 'S' },
      { AttributeName: 'topicSendKey', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: BY_CLIENT_STATUS_INDEX,
        KeySchema: [
          { AttributeName: 'clientId', KeyType: 'HASH' },
          { AttributeName: 'createdKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status'] },
      },
      {
        IndexName: BY_SWEEP_INDEX,
        KeySchema: [
          { AttributeName: 'sweepShard', KeyType: 'HASH' },
          { AttributeName: 'sweepAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['id'] },
      },
      {
        IndexName: BY_REVOCATION_INDEX,
        KeySchema: [
          { AttributeName: 'revokedShard', KeyType: 'HASH' },
          { AttributeName: 'until', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: BY_PARENT_INDEX,
        KeySchema: [
          { AttributeName: 'parentShard', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        Projection: {
          ProjectionType: 'INCLUDE',
          NonKeyAttributes: ['status', 'recipientId', 'channel', 'deviceId', 'reason'],
        },
      },
      {
        IndexName: BY_TOPIC_INDEX,
        KeySchema: [
          { AttributeName: 'clientTopic', KeyType: 'HASH' },
          { AttributeName: 'topicSendKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}

/**
 * Attributes that only a Pending notification has (lease, retry and receipt bookkeeping, the sparse
 * sweep index keys). Every write that makes a notification final removes all of them, so no
 * worker claims it and the sweeper never re-enqueues it.
 */
export const IN_PROGRESS_ATTRIBUTES = [
  'leaseOwner',
  'leaseUntil',
  'sweepShard',
  'sweepAt',
  'nextAttemptAt',
  'awaitingReceiptUntil',
  'parkedReceipts',
  'parkedKeys',
] as const;
