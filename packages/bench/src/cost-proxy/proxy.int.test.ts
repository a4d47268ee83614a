import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startEmulators, type Emulators } from '@herald/emulators';
import { itemSize } from './item-size';
import { startCostProxy, type CostProxy } from './proxy';

const TABLE = 'cost';
const BODY = 'a'.repeat(1400);
// pk "item-1" (2 + 6) + g "group" (1 + 5) + sp "x" (2 + 1) + body (4 + 1400)
const BIG_ITEM_BYTES = 8 + 6 + 3 + 1404;

let dynamo: Emulators;
let sqs: http.Server;
let proxy: CostProxy;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startEmulators({ only: 'dynamodb' });
  sqs = http.createServer(answerLikeSqs);
  const sqsEndpoint = await listen(sqs);
  proxy = await startCostProxy({ dynamodbEndpoint: dynamo.dynamodbEndpoint, sqsEndpoint });
  client = new DynamoDBClient({
    endpoint: proxy.dynamodbUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await createTable();
});

afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await dynamo?.stop();
  await new Promise<void>((r) => (sqs ? sqs.close(() => r()) : r()));
});

beforeEach(() => proxy.reset());

describe('DynamoDB writes', () => {
  test('a put of a ~1.4 KB item costs 2 table WCU and one write per index it enters', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    const { calls, dynamodb } = proxy.snapshot();
    expect(itemSize(bigItem())).toBe(BIG_ITEM_BYTES);
    expect(calls).toEqual({ 'DynamoDB.PutItem': 1 });
    expect(dynamodb.wcuTable).toBe(2);
    // byAll: the whole item + 100 bytes; bySparse: pk + sp + 100 bytes.
    expect(dynamodb.wcuIndexes).toEqual({ byAll: 2, bySparse: 1 });
    expect(dynamodb.wcuIndexTotal).toBe(3);
    expect(dynamodb.wcuTotal).toBe(5);
    expect(dynamodb.rcu).toBe(0);
  });

  test('removing the sparse index key deletes its entry and updates the ALL index', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    proxy.reset();
    await client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'item-1' } },
        UpdateExpression: 'REMOVE sp',
      }),
    );
    const { calls, dynamodb } = proxy.snapshot();
    expect(calls).toEqual({ 'DynamoDB.UpdateItem': 1 });
    expect(dynamodb.wcuTable).toBe(2);
    expect(dynamodb.wcuIndexes).toEqual({ byAll: 2, bySparse: 1 });
  });

  test('changing an index key costs a delete and a put in that index', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    proxy.reset();
    await client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'item-1' } },
        UpdateExpression: 'SET g = :g',
        ExpressionAttributeValues: { ':g': { S: 'other' } },
      }),
    );
    const { dynamodb } = proxy.snapshot();
    expect(dynamodb.wcuTable).toBe(2);
    // bySparse projects only keys, none of which changed.
    expect(dynamodb.wcuIndexes).toEqual({ byAll: 4 });
  });

  test('a failed conditional put costs the existing item size and no index writes', async () => {
    const small = { pk: { S: 'small' }, g: { S: 'group' }, sp: { S: 'y' } };
    await client.send(new PutItemCommand({ TableName: TABLE, Item: small }));
    proxy.reset();
    await expect(
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { ...small, body: { S: BODY } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const { dynamodb } = proxy.snapshot();
    expect(dynamodb.wcuTable).toBe(1);
    expect(dynamodb.wcuIndexes).toEqual({});
    expect(dynamodb.wcuIndexTotal).toBe(0);
    expect(dynamodb.conditionalFailures).toBe(1);
  });

  test('a failed condition on a large item costs that item size', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    proxy.reset();
    await expect(
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'item-1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(proxy.snapshot().dynamodb.wcuTable).toBe(2);
  });
});

describe('DynamoDB reads', () => {
  test('GetItem is priced per 4 KB, halved when eventually consistent', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    proxy.reset();
    const key = { pk: { S: 'item-1' } };
    const strong = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: key, ConsistentRead: true }),
    );
    const eventual = await client.send(new GetItemCommand({ TableName: TABLE, Key: key }));
    expect(strong.Item!.body!.S).toBe(BODY);
    expect(eventual.Item!.body!.S).toBe(BODY);
    // The injected ReturnConsumedCapacity is not visible to the client.
    expect(strong.ConsumedCapacity).toBeUndefined();
    const { calls, dynamodb } = proxy.snapshot();
    expect(calls).toEqual({ 'DynamoDB.GetItem': 2 });
    expect(dynamodb.rcu).toBe(1.5);
  });

  test('a client asking for ConsumedCapacity still gets it', async () => {
    const out = await client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'missing' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.ConsumedCapacity!.CapacityUnits).toBe(0.5);
    expect(proxy.snapshot().dynamodb.rcu).toBe(0.5);
  });

  test('an empty Query still costs half a read unit', async () => {
    const out = await client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'bySparse',
        KeyConditionExpression: 'sp = :sp',
        ExpressionAttributeValues: { ':sp': { S: 'nothing-here' } },
      }),
    );
    expect(out.Count).toBe(0);
    expect(out.ConsumedCapacity).toBeUndefined();
    expect(proxy.snapshot().dynamodb.rcu).toBe(0.5);
  });
});

describe('SQS and SNS', () => {
  test('counts calls, batch entries and received messages', async () => {
    await sqsJson('SendMessageBatch', { Entries: [{ Id: '1' }, { Id: '2' }, { Id: '3' }] });
    await sqsJson('ReceiveMessage', { WaitTimeSeconds: 1 });
    await sqsJson('DeleteMessageBatch', { Entries: [{ Id: '1' }, { Id: '2' }] });
    await snsQuery({ Action: 'Publish', Version: '2010-03-31', Message: 'hi' });
    await snsQuery({
      Action: 'PublishBatch',
      Version: '2010-03-31',
      'PublishBatchRequestEntries.member.1.Id': 'a',
      'PublishBatchRequestEntries.member.1.Message': 'x',
      'PublishBatchRequestEntries.member.2.Id': 'b',
      'PublishBatchRequestEntries.member.2.Message': 'y',
    });
    const { calls, sqs: queue, sns } = proxy.snapshot();
    expect(calls).toEqual({
      'SQS.SendMessageBatch': 1,
      'SQS.ReceiveMessage': 1,
      'SQS.DeleteMessageBatch': 1,
      'SNS.Publish': 1,
      'SNS.PublishBatch': 1,
    });
    expect(queue).toEqual({
      entriesSent: 3,
      messagesReceived: 2,
      entriesDeleted: 2,
      requests: 3,
    });
    expect(sns).toEqual({ publishes: 3, publishBatchEntries: 2 });
  });

  test('an unreachable upstream answers 502', async () => {
    const closed = http.createServer();
    const endpoint = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const broken = await startCostProxy({ dynamodbEndpoint: endpoint, sqsEndpoint: endpoint });
    try {
      const res = await fetch(broken.sqsUrl, { method: 'POST', body: '{}' });
      expect(res.status).toBe(502);
      await res.text();
    } finally {
      await broken.close();
    }
  });
});

function bigItem() {
  return { pk: { S: 'item-1' }, g: { S: 'group' }, sp: { S: 'x' }, body: { S: BODY } };
}

async function createTable(): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
        { AttributeName: 'sp', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byAll',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'bySparse',
          KeySchema: [{ AttributeName: 'sp', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stands in for fauxqs: `{}` for everything, two messages for ReceiveMessage. */
function answerLikeSqs(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  req.on('end', () => {
    const receive = req.headers['x-amz-target'] === 'AmazonSQS.ReceiveMessage';
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(
      receive ? JSON.stringify({ Messages: [{ MessageId: '1' }, { MessageId: '2' }] }) : '{}',
    );
  });
}

async function sqsJson(action: string, body: object): Promise<unknown> {
  const res = await fetch(proxy.sqsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: signature('sqs'),
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function snsQuery(params: Record<string, string>): Promise<void> {
  const res = await fetch(proxy.sqsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: signature('sns'),
    },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(200);
  await res.text();
}

function signature(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}
