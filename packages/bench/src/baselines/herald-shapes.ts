/**
 * What the baselines write and send, shaped like Herald's own items and messages so every figure
 * moves the same bytes: a Pending notification item (as packages/aws/src/store/notification-item.ts
 * writes it) and the `{"id":…}` message body.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** An item in DynamoDB JSON. */
export type DynamoItem = Record<string, AttributeValue>;

/** A notification id shaped like Herald's (`ntf_` + 22 base64url characters). */
export const newId = (): string => `ntf_${randomBytes(16).toString('base64url')}`;

/** A Pending Slack notification item in DynamoDB JSON, as Herald's create writes it. */
export function pendingItem(id: string, text: string): DynamoItem {
  const now = new Date().toISOString();
  const req = JSON.stringify({ channel: 'slack', to: { webhook: 'bench' }, text });
  return {
    pk: { S: `N#${id}` },
    id: { S: id },
    clientId: { S: 'bench' },
    createdKey: { S: `${now}#${id}` },
    channel: { S: 'slack' },
    req: { S: req },
    requestHash: { S: createHash('sha256').update(req).digest('base64url') },
    status: { S: 'Pending' },
    createdAt: { S: now },
    updatedAt: { S: now },
    attempts: { N: '0' },
    events: { L: [{ M: { at: { S: now }, type: { S: 'accepted' } } }] },
    sweepShard: { S: String(createHash('sha256').update(id).digest().readUInt32BE(0) % 16) },
    sweepAt: { S: new Date(Date.now() + 60_000).toISOString() },
  };
}

/** The work queue message body Herald's api sends for a notification. */
export const messageBody = (id: string): string => JSON.stringify({ id });

/** The three SDK clients a baseline uses. */
export interface SdkClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
}

/** AWS SDK clients for the emulators, with keep-alive sockets like Herald's. Destroy when done. */
export function sdkClients(endpoints: {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}): SdkClients {
  const handler = () => ({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }) });
  const shared = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return {
    dynamodb: new DynamoDBClient({
      ...shared,
      endpoint: endpoints.dynamodbEndpoint,
      requestHandler: handler(),
    }),
    sqs: new SQSClient({
      ...shared,
      endpoint: endpoints.sqsEndpoint,
      useQueueUrlAsEndpoint: false,
      requestHandler: handler(),
    }),
    sns: new SNSClient({ ...shared, endpoint: endpoints.sqsEndpoint, requestHandler: handler() }),
  };
}

/** The JSON argument (argv[2]) the worker baselines start with. */
export interface WorkerBaselineOptions {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueUrl: string;
  topicArn: string;
  sinkUrl: string;
  pollers: number;
}
