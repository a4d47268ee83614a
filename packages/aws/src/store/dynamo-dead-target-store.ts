import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeadTargetStore } from '@herald/core';
import { toStoreError } from '../errors';

export interface DynamoDeadTargetStoreOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

const deadTargetPk = (key: string) => `DEAD#${key}`;

/**
 * Recipients that can never receive again (a push subscription the push service says is gone,
 * a disabled SNS endpoint), in the notification table under `DEAD#<hashed target>`. A dead
 * target stays dead: once known, later notifications to it are refused without a provider call.
 * Known-dead keys are remembered in memory, so repeated sends to one cost no reads.
 */
export function createDynamoDeadTargetStore(
  options: DynamoDeadTargetStoreOptions,
): DeadTargetStore {
  const { doc, tableName } = options;
  const knownDead = new Set<string>();
  return {
    async isDead(key) {
      if (knownDead.has(key)) return true;
      try {
        const res = await doc.send(
          new GetCommand({ TableName: tableName, Key: { pk: deadTargetPk(key) } }),
        );
        if (res.Item !== undefined) knownDead.add(key);
        return res.Item !== undefined;
      } catch (err) {
        throw toStoreError(err, 'DynamoDB GetItem');
      }
    },
    async markDead(key, r) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: deadTargetPk(key), kind: 'dead-target', reason: r.reason, at: r.at },
          }),
        );
        knownDead.add(key);
      } catch (err) {
        throw toStoreError(err, 'DynamoDB PutItem');
      }
    },
  };
}
