/**
 * Worker baseline: `pollers` bare loops of ReceiveMessage(10) → deliver every message at once
 * (deliver-steps.ts: Herald's store calls) → DeleteMessageBatch of the delivered ones. Runs
 * until SIGTERM. argv[2]: JSON WorkerBaselineOptions. Prints `{"started":true}` once polling.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { deliverer } from './deliver-steps';
import { sdkClients, type WorkerBaselineOptions } from './herald-shapes';

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as WorkerBaselineOptions;
  const { dynamodb, sqs, sns } = sdkClients(o);
  const deliver = deliverer({ ...o, dynamodb, sns, owner: `bare-${process.pid}` });
  let stopping = false;

  async function poll() {
    while (!stopping) {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: o.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 30,
        }),
      );
      const messages = res.Messages ?? [];
      if (messages.length === 0) continue;
      const outcomes = await Promise.allSettled(messages.map((m) => deliver(m.Body)));
      const done = messages.filter((_m, i) => outcomes[i]?.status === 'fulfilled');
      if (done.length === 0) continue;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: o.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  }

  process.once('SIGTERM', () => (stopping = true));
  process.stdout.write('{"started":true}\n');
  await Promise.all(Array.from({ length: o.pollers }, poll));
  process.exit(0);
}

void main();
