/**
 * Test support for the cost proxy's integration suites (`cost-proxy/proxy-*.int.test.ts`): the
 * proxy in front of a DynamoDB emulator and an SQS stand-in, a table with two indexes, and raw
 * SQS and SNS requests through the proxy.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startEmulators, type Emulators } from '@herald/emulators';
import { startCostProxy, type CostProxy } from './cost-proxy/proxy';

/** The table every suite writes to: key `pk`, index `byAll` on `g` (ALL), `bySparse` on `sp`. */
export const TABLE = 'cost';
/** The body attribute of `bigItem`. */
export const BODY = 'a'.repeat(1400);
/**
 * The size of `bigItem` as DynamoDB counts it: pk "item-1" (2 + 6) + g "group" (1 + 5) + sp "x"
 * (2 + 1) + body (4 + 1400).
 */
export const BIG_ITEM_BYTES = 8 + 6 + 3 + 1404;

/** The proxy and a DynamoDB client through it; valid inside the file's tests. */
export interface CostProxyRig {
  readonly proxy: CostProxy;
  readonly client: DynamoDBClient;
  /** Sends an SQS JSON action through the proxy and expects 200; returns the answer. */
  sqsJson(action: string, body: object): Promise<unknown>;
  /** Sends an SNS query action through the proxy and expects 200. */
  snsQuery(params: Record<string, string>): Promise<void>;
}

/**
 * Registers hooks that start the emulator, the SQS stand-in and the proxy, create TABLE once for
 * the file, reset the proxy's counters before every test, and stop everything after the file.
 */
export function useCostProxy(): CostProxyRig {
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

  return {
    get proxy() {
      return proxy;
    },
    get client() {
      return client;
    },
    sqsJson,
    snsQuery,
  };
}

/** A ~1.4 KB item that enters both indexes. */
export function bigItem() {
  return { pk: { S: 'item-1' }, g: { S: 'group' }, sp: { S: 'x' }, body: { S: BODY } };
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

function signature(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/** Starts `server` on a free loopback port; resolves with its base URL. */
export function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}
