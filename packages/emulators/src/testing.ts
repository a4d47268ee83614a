/**
 * Test support for the emulators' own tests (`@herald/emulators/testing`): plain SDK clients and
 * a small table, so these tests need nothing of Herald's adapters.
 */
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmulatorEndpoints } from './emulators-process';

/** The sparse index `createTestTable` adds: items with `sweepShard` and `sweepAt` only. */
export const SWEEP_INDEX = 'bySweep';

export interface SdkClients {
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** Frees the clients' sockets. */
  destroy(): void;
}

/** SDK clients pointed at the emulators (any region and credentials will do). */
export function createSdkClients(endpoints: EmulatorEndpoints): SdkClients {
  const shared = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamodb = new DynamoDBClient({ ...shared, endpoint: endpoints.dynamodbEndpoint });
  const sqs = new SQSClient({ ...shared, endpoint: endpoints.sqsEndpoint });
  return {
    dynamodb,
    doc: DynamoDBDocumentClient.from(dynamodb),
    sqs,
    destroy() {
      dynamodb.destroy();
      sqs.destroy();
    },
  };
}

/** A fresh name, `<prefix>-<hex>`, so tests sharing emulators never see each other's data. */
export function freshName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * A table keyed by `pk` with the sparse sweep index (`sweepShard`, `sweepAt`), as Herald's table
 * has; resolves once it is ACTIVE.
 */
export async function createTestTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sweepShard', AttributeType: 'S' },
        { AttributeName: 'sweepAt', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: SWEEP_INDEX,
          KeySchema: [
            { AttributeName: 'sweepShard', KeyType: 'HASH' },
            { AttributeName: 'sweepAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: tableName });
}

/** A queue; resolves with its URL. */
export async function createTestQueue(sqs: SQSClient, queueName: string): Promise<string> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (created.QueueUrl === undefined) throw new Error(`no URL for queue ${queueName}`);
  return created.QueueUrl;
}
