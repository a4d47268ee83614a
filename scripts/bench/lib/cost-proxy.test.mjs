// Run: node --test scripts/bench/lib/cost-proxy.test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, test } from 'node:test';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} = await import('@aws-sdk/client-dynamodb');
const { itemSize, startCostProxy } = await import('./cost-proxy.mjs');

// dynalite is a dependency of packages/local, not of the root.
const requireFromLocal = createRequire(
  new URL('../../../packages/local/package.json', import.meta.url),
);
const dynalite = requireFromLocal('dynalite');

const TABLE = 'cost';
const BODY = 'a'.repeat(1400);
// pk "item-1" (2 + 6) + g "group" (1 + 5) + sp "x" (2 + 1) + body (4 + 1400)
const BIG_ITEM_BYTES = 8 + 6 + 3 + 1404;

let dynamo;
let sqs;
let proxy;
let client;

before(async () => {
  dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  sqs = http.createServer(answerLikeSqs);
  const dynamodbEndpoint = await listen(dynamo);
  const sqsEndpoint = await listen(sqs);
  proxy = await startCostProxy({ dynamodbEndpoint, sqsEndpoint });
  client = new DynamoDBClient({
    endpoint: proxy.dynamodbUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await createTable();
});

after(async () => {
  client?.destroy();
  await proxy?.close();
  await Promise.all([dynamo, sqs].map((s) => s && new Promise((r) => s.close(() => r()))));
});

beforeEach(() => proxy.reset());

describe('itemSize', () => {
  test('sums UTF-8 name bytes and value sizes', () => {
    assert.equal(itemSize({ pk: { S: 'abc' } }), 2 + 3);
    assert.equal(itemSize({ name: { S: 'é' } }), 4 + 2);
    assert.equal(itemSize({ flag: { BOOL: true }, gone: { NULL: true } }), 5 + 5);
    assert.equal(itemSize({ bin: { B: Buffer.from('hello').toString('base64') } }), 3 + 5);
  });

  test('numbers take one byte per two significant digits plus one', () => {
    assert.equal(itemSize({ n: { N: '123' } }), 1 + 3);
    assert.equal(itemSize({ n: { N: '100' } }), 1 + 2);
    assert.equal(itemSize({ n: { N: '-0.0012' } }), 1 + 2);
    assert.equal(itemSize({ n: { N: '0' } }), 1 + 1);
  });

  test('lists and maps add 3 bytes plus 1 per element; map keys count', () => {
    assert.equal(itemSize({ l: { L: [{ N: '1' }, { S: 'é' }] } }), 1 + 3 + (1 + 2) + (1 + 2));
    assert.equal(itemSize({ m: { M: { a: { S: 'xy' } } } }), 1 + 3 + (1 + 1 + 2));
    assert.equal(itemSize({ ss: { SS: ['a', 'bc'] } }), 2 + 3);
  });
});

describe('DynamoDB writes', () => {
  test('a put of a ~1.4 KB item costs 2 table WCU and one write per index it enters', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    const { calls, dynamodb } = proxy.snapshot();
    assert.equal(itemSize(bigItem()), BIG_ITEM_BYTES);
    assert.deepEqual(calls, { 'DynamoDB.PutItem': 1 });
    assert.equal(dynamodb.wcuTable, 2);
    // byAll: the whole item + 100 bytes; bySparse: pk + sp + 100 bytes.
    assert.deepEqual(dynamodb.wcuIndexes, { byAll: 2, bySparse: 1 });
    assert.equal(dynamodb.wcuIndexTotal, 3);
    assert.equal(dynamodb.wcuTotal, 5);
    assert.equal(dynamodb.rcu, 0);
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
    assert.deepEqual(calls, { 'DynamoDB.UpdateItem': 1 });
    assert.equal(dynamodb.wcuTable, 2);
    assert.deepEqual(dynamodb.wcuIndexes, { byAll: 2, bySparse: 1 });
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
    assert.equal(dynamodb.wcuTable, 2);
    // bySparse projects only keys, none of which changed.
    assert.deepEqual(dynamodb.wcuIndexes, { byAll: 4 });
  });

  test('a failed conditional put costs the existing item size and no index writes', async () => {
    const small = { pk: { S: 'small' }, g: { S: 'group' }, sp: { S: 'y' } };
    await client.send(new PutItemCommand({ TableName: TABLE, Item: small }));
    proxy.reset();
    await assert.rejects(
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { ...small, body: { S: BODY } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      { name: 'ConditionalCheckFailedException' },
    );
    const { dynamodb } = proxy.snapshot();
    assert.equal(dynamodb.wcuTable, 1);
    assert.deepEqual(dynamodb.wcuIndexes, {});
    assert.equal(dynamodb.wcuIndexTotal, 0);
    assert.equal(dynamodb.conditionalFailures, 1);
  });

  test('a failed condition on a large item costs that item size', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    proxy.reset();
    await assert.rejects(
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'item-1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      { name: 'ConditionalCheckFailedException' },
    );
    assert.equal(proxy.snapshot().dynamodb.wcuTable, 2);
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
    assert.equal(strong.Item.body.S, BODY);
    assert.equal(eventual.Item.body.S, BODY);
    // The injected ReturnConsumedCapacity is not visible to the client.
    assert.equal(strong.ConsumedCapacity, undefined);
    const { calls, dynamodb } = proxy.snapshot();
    assert.deepEqual(calls, { 'DynamoDB.GetItem': 2 });
    assert.equal(dynamodb.rcu, 1.5);
  });

  test('a client asking for ConsumedCapacity still gets it', async () => {
    const out = await client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'missing' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.equal(out.ConsumedCapacity.CapacityUnits, 0.5);
    assert.equal(proxy.snapshot().dynamodb.rcu, 0.5);
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
    assert.equal(out.Count, 0);
    assert.equal(out.ConsumedCapacity, undefined);
    assert.equal(proxy.snapshot().dynamodb.rcu, 0.5);
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
    assert.deepEqual(calls, {
      'SQS.SendMessageBatch': 1,
      'SQS.ReceiveMessage': 1,
      'SQS.DeleteMessageBatch': 1,
      'SNS.Publish': 1,
      'SNS.PublishBatch': 1,
    });
    assert.deepEqual(queue, {
      entriesSent: 3,
      messagesReceived: 2,
      entriesDeleted: 2,
      requests: 3,
    });
    assert.deepEqual(sns, { publishes: 3, publishBatchEntries: 2 });
  });

  test('an unreachable upstream answers 502', async () => {
    const closed = http.createServer();
    const endpoint = await listen(closed);
    await new Promise((r) => closed.close(() => r()));
    const broken = await startCostProxy({ dynamodbEndpoint: endpoint, sqsEndpoint: endpoint });
    try {
      const res = await fetch(broken.sqsUrl, { method: 'POST', body: '{}' });
      assert.equal(res.status, 502);
      await res.text();
    } finally {
      await broken.close();
    }
  });
});

function bigItem() {
  return { pk: { S: 'item-1' }, g: { S: 'group' }, sp: { S: 'x' }, body: { S: BODY } };
}

async function createTable() {
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
    if (Table.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stands in for fauxqs: `{}` for everything, two messages for ReceiveMessage. */
function answerLikeSqs(req, res) {
  req.resume();
  req.on('end', () => {
    const receive = req.headers['x-amz-target'] === 'AmazonSQS.ReceiveMessage';
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(
      receive ? JSON.stringify({ Messages: [{ MessageId: '1' }, { MessageId: '2' }] }) : '{}',
    );
  });
}

async function sqsJson(action, body) {
  const res = await fetch(proxy.sqsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: signature('sqs'),
    },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  return res.json();
}

async function snsQuery(params) {
  const res = await fetch(proxy.sqsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: signature('sns'),
    },
    body: new URLSearchParams(params).toString(),
  });
  assert.equal(res.status, 200);
  await res.text();
}

function signature(service) {
  return `AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}
