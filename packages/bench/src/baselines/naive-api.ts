/**
 * Baseline Naive: the notification api a team would write by hand — express, `express.json()`,
 * one PutItem and one SendMessage per request, `202` with the id. No auth, no validation, no
 * idempotency, no batching. Env: DYNAMODB_ENDPOINT, SQS_ENDPOINT, TABLE_NAME, QUEUE_URL. Prints
 * `{"listening":<port>}` once it listens on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import express from 'express';
import { messageBody, newId, pendingItem, sdkClients } from './herald-shapes';

const env = process.env;
const { dynamodb, sqs } = sdkClients({
  dynamodbEndpoint: env.DYNAMODB_ENDPOINT ?? '',
  sqsEndpoint: env.SQS_ENDPOINT ?? '',
});

const app = express();
app.use(express.json());
app.post('/v1/notifications', async (req, res) => {
  try {
    const id = newId();
    const { text } = req.body as { text?: unknown };
    await dynamodb.send(
      new PutItemCommand({ TableName: env.TABLE_NAME, Item: pendingItem(id, String(text)) }),
    );
    await sqs.send(
      new SendMessageCommand({ QueueUrl: env.QUEUE_URL, MessageBody: messageBody(id) }),
    );
    res.status(202).json({ id, status: 'Pending' });
  } catch (err) {
    res.status(500).json({ error: String(err) });
  }
});
const server = app.listen(0, '127.0.0.1', () =>
  process.stdout.write(
    `${JSON.stringify({ listening: (server.address() as AddressInfo).port })}\n`,
  ),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
