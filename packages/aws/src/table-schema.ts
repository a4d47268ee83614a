import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** The table name used when none is configured. */
export const DEFAULT_TABLE_NAME = 'herald';

/** A client's notifications, newest first: hash `clientId`, range `createdKey`. */
export const BY_CLIENT_INDEX = 'byClient';
/** Sparse: only Pending notifications carry `sweepShard`/`sweepAt`. */
export const BY_SWEEP_INDEX = 'bySweep';
/** Every revocation sits in one partition (`revokedShard = "R"`), ordered by `until`. */
export const BY_REVOCATION_INDEX = 'byRevocation';

/** The one partition of the byRevocation index; revocations are few, so one is enough. */
export const REVOKED_SHARD = 'R';

export const notificationPk = (id: string): string => `N#${id}`;
export const revocationPk = (jti: string): string => `REVOKED#${jti}`;
/** Sorts by creation time, then id, like the in-memory store does. */
export const createdKey = (createdAt: string, id: string): string => `${createdAt}#${id}`;

/**
 * The single-table layout (key `pk` only, on-demand billing):
 * - notification `N#<id>`: the record, plus `createdKey` for byClient and, while Pending,
 *   `sweepShard`/`sweepAt` for bySweep;
 * - revocation `REVOKED#<jti>`: `until`, plus `revokedShard` for byRevocation.
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
        Projection: { ProjectionType: 'ALL' },
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
] as const;
