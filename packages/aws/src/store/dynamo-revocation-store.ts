import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RevocationStore } from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import { BY_REVOCATION_INDEX, REVOKED_SHARD, revocationPk } from './table-schema';

export interface DynamoRevocationStoreOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

const PREFIX = revocationPk('');

/**
 * Revoked token ids in the notification table. `revoke` is idempotent and only ever extends a
 * revocation (a later `until` wins). Expired entries are filtered out when read rather than
 * deleted, since dynalite has no TTL. Unreachable DynamoDB throws AppError `UNAVAILABLE`.
 */
export function createDynamoRevocationStore(
  options: DynamoRevocationStoreOptions,
): RevocationStore {
  const { doc, tableName } = options;
  return {
    async revoke(jti, until) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: revocationPk(jti),
              kind: 'revocation',
              jti,
              until,
              revokedShard: REVOKED_SHARD,
            },
            // Overwrite only with a later `until`, so a replayed revoke never shortens one.
            ConditionExpression: 'attribute_not_exists(pk) OR #until < :until',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':until': until },
          }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw toStoreError(err, 'DynamoDB PutItem');
      }
    },

    async listRevoked(now) {
      const jtis: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await queryPage(doc, tableName, now, startKey);
        for (const item of page.Items ?? []) {
          if (typeof item.pk === 'string' && item.pk.startsWith(PREFIX)) {
            jtis.push(item.pk.slice(PREFIX.length));
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return jtis;
    },
  };
}

async function queryPage(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: string,
  startKey: Record<string, unknown> | undefined,
) {
  try {
    return await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_REVOCATION_INDEX,
        KeyConditionExpression: '#shard = :shard AND #until > :now',
        ExpressionAttributeNames: { '#shard': 'revokedShard', '#until': 'until' },
        ExpressionAttributeValues: { ':shard': REVOKED_SHARD, ':now': now },
        ExclusiveStartKey: startKey,
      }),
    );
  } catch (err) {
    throw toStoreError(err, 'DynamoDB Query');
  }
}
