import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** The table name used when none is configured. */
export const DEFAULT_TABLE_NAME = 'herald';

/**
 * A client's notifications, newest first: hash `clientId`, range `createdKey`. Projected
 * KEYS_ONLY, so listing reads the items themselves (dynamo-list.ts).
 */
export const BY_CLIENT_INDEX = 'byClient';
/** Sparse: only Pending notifications carry `sweepShard`/`sweepAt`. */
export const BY_SWEEP_INDEX = 'bySweep';
/** Every revocation sits in one partition (`revokedShard = "R"`), ordered by `until`. */
export const BY_REVOCATION_INDEX = 'byRevocation';

/**
 * The bySweep partition of a final notification whose status event is still owed (the outbox):
 * `E<shard>`, apart from the Pending shards `0`…`n-1`, so the sweeper never sees it and the
 * relay's recovery scan queries only these. Its `sweepAt` is the final write's time.
 */
export const owedEventShard = (shard: string): string => `E${shard}`;

/** The one partition of the byRevocation index; revocations are few, so one is enough. */
export const REVOKED_SHARD = 'R';

export const notificationPk = (id: string): string => `N#${id}`;
/** The notification id of a table key made by `notificationPk`; `undefined` for any other key. */
export const notificationIdOf = (pk: string): string | undefined =>
  pk.startsWith('N#') && pk.length > 2 ? pk.slice(2) : undefined;
export const revocationPk = (jti: string): string => `REVOKED#${jti}`;
/** Sorts by creation time, then id, like the in-memory store does. */
export const createdKey = (createdAt: string, id: string): string => `${createdAt}#${id}`;

/**
 * The single-table layout (key `pk` only, on-demand billing):
 * - notification `N#<id>`: the record, plus `createdKey` for byClient and, while Pending,
 *   `sweepShard`/`sweepAt` for bySweep; once final and until its status event is published,
 *   `owedEventId` with `sweepShard = E<shard>` and `sweepAt` = the final write (the outbox);
 * - revocation `REVOKED#<jti>`: `until`, plus `revokedShard` for byRevocation.
 *
 * byClient is projected KEYS_ONLY: its keys (`clientId`, `createdKey`) never change, so only the
 * create writes its entry (1 index write unit per notification). Projected ALL, the accept,
 * claim and final writes would each rewrite the entry (3 units). Tables created before this kept
 * ALL (`ensureInfrastructure` leaves an existing table as it is); listing works on both.
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
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: BY_CLIENT_INDEX,
        KeySchema: [
          { AttributeName: 'clientId', KeyType: 'HASH' },
          { AttributeName: 'createdKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
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
