/**
 * Baseline S: the DynamoDB and SQS calls Herald's ingest makes, by a bare AWS SDK loop with the
 * same concurrency and no HTTP server — the ceiling the emulators allow for that work. Each of
 * `concurrency` loops writes a Pending item (Herald's item shape) and then enqueues its id, with
 * the calls Herald makes for a request without an Idempotency-Key: puts gathered into
 * BatchWriteItem (≤ 25) and sends into SendMessageBatch (≤ 10), by the same batching policy
 * (batcher.ts). Like Herald's api, an iteration ends when its put is durable: its send goes on
 * behind it, lingering `lingerMs` (Herald's HERALD_ENQUEUE_LINGER_MS) for company, and the run
 * waits for every send before it reports. `mode: "single"` makes one PutItem + one SendMessage
 * per iteration; `mode: "get"` one consistent BatchGetItem of one item (a status read). At
 * concurrency 1 these give the emulators' latency floor for the calls.
 *
 * argv[2]: JSON SdkLoopOptions. Prints one JSON line: { rps, total, p50, p90, p99, p999, max,
 * errors }.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { latencySummary } from '../lib/stats';
import { batcher } from './batcher';
import { messageBody, newId, pendingItem, sdkClients, type DynamoItem } from './herald-shapes';

/** The JSON argument sdk-loop starts with. */
export interface SdkLoopOptions {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueUrl: string;
  concurrency: number;
  durationS: number;
  mode: 'batched' | 'single' | 'get';
  lingerMs?: number;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as SdkLoopOptions;
  const { dynamodb, sqs } = sdkClients(o);

  const putBatched = batcher<DynamoItem>({
    maxBatch: 25,
    maxInFlight: 8,
    async run(items) {
      let pending = items;
      while (pending.length > 0) {
        const res = await dynamodb.send(
          new BatchWriteItemCommand({
            RequestItems: { [o.tableName]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        pending = (res.UnprocessedItems?.[o.tableName] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [r.PutRequest.Item] : [],
        );
      }
    },
  });
  const sendBatched = batcher<string>({
    maxBatch: 10,
    maxInFlight: 8,
    lingerMs: o.lingerMs ?? 0,
    async run(ids) {
      const res = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: o.queueUrl,
          Entries: ids.map((id, i) => ({ Id: String(i), MessageBody: messageBody(id) })),
        }),
      );
      if ((res.Failed ?? []).length > 0) throw new Error('SendMessageBatch entries failed');
    },
  });

  let readId: string | undefined;
  let errors = 0;
  const sends: Promise<unknown>[] = [];
  async function once() {
    if (o.mode === 'get') {
      if (readId === undefined) {
        readId = newId();
        await putBatched(pendingItem(readId, 'bench read'));
      }
      await dynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [o.tableName]: { Keys: [{ pk: { S: `N#${readId}` } }], ConsistentRead: true },
          },
        }),
      );
      return;
    }
    const id = newId();
    const item = pendingItem(id, `bench s-${id}`);
    if (o.mode === 'single') {
      await dynamodb.send(
        new PutItemCommand({
          TableName: o.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await sqs.send(
        new SendMessageCommand({ QueueUrl: o.queueUrl, MessageBody: messageBody(id) }),
      );
    } else {
      await putBatched(item);
      sends.push(sendBatched(id).catch(() => errors++));
    }
  }

  const latencies: number[] = [];
  const end = Date.now() + o.durationS * 1000;
  async function loop() {
    while (Date.now() < end) {
      const t = performance.now();
      try {
        await once();
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(sends);
  const { count: _count, ...summary } = latencySummary(latencies);
  process.stdout.write(
    `${JSON.stringify({ rps: latencies.length / seconds, total: latencies.length, ...summary, errors })}\n`,
  );
  dynamodb.destroy();
  sqs.destroy();
}

void main();
