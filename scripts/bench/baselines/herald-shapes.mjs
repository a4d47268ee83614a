/**
 * What the baselines write and send, shaped like Herald's own items and messages so every figure
 * moves the same bytes: a Pending notification item (as packages/aws/src/store/notification-item.ts
 * writes it) and the `{"id":…}` message body.
 */
import { createHash, randomBytes } from 'node:crypto';

export const newId = () => `ntf_${randomBytes(16).toString('base64url')}`;

/** A Pending Slack notification item in DynamoDB JSON, as Herald's create writes it. */
export function pendingItem(id, text) {
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

export const messageBody = (id) => JSON.stringify({ id });

/** AWS SDK client options for the emulators, with keep-alive sockets like Herald's. */
export async function sdkClients({ dynamodbEndpoint, sqsEndpoint }) {
  const http = await import('node:http');
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { SNSClient } = await import('@aws-sdk/client-sns');
  const handler = () => ({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }) });
  const shared = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return {
    dynamodb: new DynamoDBClient({
      ...shared,
      endpoint: dynamodbEndpoint,
      requestHandler: handler(),
    }),
    sqs: new SQSClient({
      ...shared,
      endpoint: sqsEndpoint,
      useQueueUrlAsEndpoint: false,
      requestHandler: handler(),
    }),
    sns: new SNSClient({ ...shared, endpoint: sqsEndpoint, requestHandler: handler() }),
  };
}
