import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import type { QueueMessage, WorkQueue } from '@herald/core';
import { chunk } from '../batches';
import { toQueueError } from '../errors';

export interface SqsWorkQueueOptions {
  sqs: SQSClient;
  /** The URL CreateQueue or GetQueueUrl returned; never one built by hand. */
  queueUrl: string;
  /**
   * Asked for on every receive, so the worker's heartbeat (at half of it) always matches what
   * the queue applies, whatever the queue's own default is. Default: the queue's.
   */
  visibilityTimeoutSeconds?: number;
}

/** SQS's longest DelaySeconds. */
const MAX_DELAY_SECONDS = 900;

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.floor(n)));

/** A WorkQueue on SQS (or fauxqs). Build the client with an explicit endpoint for emulators. */
export function createSqsWorkQueue(options: SqsWorkQueueOptions): WorkQueue {
  const { sqs, queueUrl } = options;
  return {
    async receive(max, waitSeconds, signal) {
      if (signal?.aborted) return [];
      try {
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: clamp(max, 1, 10),
            WaitTimeSeconds: clamp(waitSeconds, 0, 20),
            ...(options.visibilityTimeoutSeconds === undefined
              ? {}
              : { VisibilityTimeout: clamp(options.visibilityTimeoutSeconds, 0, 43_200) }),
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          signal === undefined ? {} : { abortSignal: signal },
        );
        return (res.Messages ?? []).flatMap(toQueueMessage);
      } catch (err) {
        // Stopping the worker aborts its long poll; that is not a failure.
        if (signal?.aborted) return [];
        throw toQueueError(err, 'SQS ReceiveMessage');
      }
    },

    async ack(receiptHandles) {
      await Promise.all(chunk(receiptHandles).map((batch) => deleteBatch(options, batch)));
    },

    async setVisibility(receiptHandle, seconds) {
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: clamp(seconds, 0, 43_200),
          }),
        );
      } catch (err) {
        throw toQueueError(err, 'SQS ChangeMessageVisibility');
      }
    },

    async sendDelayed(body, delaySeconds) {
      try {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body,
            DelaySeconds: clamp(delaySeconds, 0, MAX_DELAY_SECONDS),
          }),
        );
      } catch (err) {
        throw toQueueError(err, 'SQS SendMessage');
      }
    },
  };
}

/** Parses one SQS message; one without a receipt handle cannot be acked, so it is dropped. */
export function toQueueMessage(message: Message): QueueMessage[] {
  if (message.ReceiptHandle === undefined) return [];
  const body = message.Body ?? '';
  const count = Number(message.Attributes?.ApproximateReceiveCount);
  return [
    {
      notificationId: idFromBody(body),
      receiptHandle: message.ReceiptHandle,
      receiveCount: Number.isInteger(count) && count > 0 ? count : 1,
      body,
    },
  ];
}

function idFromBody(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return '';
    const id = (parsed as { id?: unknown }).id;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}

async function deleteBatch(options: SqsWorkQueueOptions, handles: string[]): Promise<void> {
  let pending = handles.map((handle, index) => ({ Id: String(index), ReceiptHandle: handle }));
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    let failed: Set<string>;
    try {
      const res = await options.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: pending }),
      );
      failed = new Set((res.Failed ?? []).flatMap((f) => (f.Id === undefined ? [] : [f.Id])));
    } catch (err) {
      throw toQueueError(err, 'SQS DeleteMessageBatch');
    }
    pending = pending.filter((entry) => failed.has(entry.Id));
  }
  if (pending.length > 0) {
    throw new AppError(
      'UNAVAILABLE',
      `SQS did not delete ${pending.length} of ${handles.length} messages`,
    );
  }
}
