/**
 * Test support for the emulators' own tests (`@herald/emulators/testing`): plain SDK clients and
 * a small table, so these tests need nothing of Herald's adapters.
 */
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
  // The SDK's waiter sleeps 20 s between looks; dynalite is ACTIVE within 50 ms.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not ACTIVE after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A queue; resolves with its URL. */
export async function createTestQueue(sqs: SQSClient, queueName: string): Promise<string> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (created.QueueUrl === undefined) throw new Error(`no URL for queue ${queueName}`);
  return created.QueueUrl;
}
