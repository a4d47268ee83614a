/**
 * Worker baseline: the same delivery (deliver-steps.ts) written with the `sqs-consumer` library
 * as its README shows — `handleMessage` per message, batches of 10, `pollers` consumers to match
 * the other workers' concurrency. Runs until SIGTERM. argv[2]: as worker-bare.ts.
 */
import { Consumer } from 'sqs-consumer';
import { deliverer } from './deliver-steps';
import { sdkClients, type WorkerBaselineOptions } from './herald-shapes';

const o = JSON.parse(process.argv[2] ?? '{}') as WorkerBaselineOptions;
const { dynamodb, sqs, sns } = sdkClients(o);
const deliver = deliverer({ ...o, dynamodb, sns, owner: `sqs-consumer-${process.pid}` });

const consumers = Array.from({ length: o.pollers }, () =>
  Consumer.create({
    queueUrl: o.queueUrl,
    sqs,
    batchSize: 10,
    waitTimeSeconds: 1,
    visibilityTimeout: 30,
    handleMessage: async (message) => {
      await deliver(message.Body);
      return message;
    },
  }),
);
for (const consumer of consumers) {
  consumer.on('error', (err) => process.stderr.write(`sqs-consumer error: ${err.message}\n`));
  consumer.on('processing_error', (err) =>
    process.stderr.write(`processing error: ${err.message}\n`),
  );
  consumer.start();
}
process.once('SIGTERM', () => {
  for (const consumer of consumers) consumer.stop();
  setTimeout(() => process.exit(0), 500);
});
process.stdout.write('{"started":true}\n');
