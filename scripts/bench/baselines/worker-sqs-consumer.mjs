#!/usr/bin/env node
/**
 * Worker baseline: the same delivery (deliver-steps.mjs) written with the `sqs-consumer` library
 * as its README shows — `handleMessage` per message, batches of 10, `pollers` consumers to match
 * the other workers' concurrency. Runs until SIGTERM. argv[2]: as worker-bare.mjs.
 */
import { Consumer } from 'sqs-consumer';
import { deliverer } from './deliver-steps.mjs';
import { sdkClients } from './herald-shapes.mjs';

const o = JSON.parse(process.argv[2]);
const { dynamodb, sqs, sns } = await sdkClients(o);
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
for (const c of consumers) {
  c.on('error', (err) => process.stderr.write(`sqs-consumer error: ${err.message}\n`));
  c.on('processing_error', (err) => process.stderr.write(`processing error: ${err.message}\n`));
  c.start();
}
process.once('SIGTERM', () => {
  for (const c of consumers) c.stop();
  setTimeout(() => process.exit(0), 500);
});
process.stdout.write('{"started":true}\n');
