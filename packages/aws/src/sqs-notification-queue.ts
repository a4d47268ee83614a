import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import type { NotificationQueue } from '@herald/core';
import { chunk } from './batches';
import { toQueueError } from './errors';

export interface SqsNotificationQueueOptions {
  sqs: SQSClient;
  /** The URL CreateQueue or GetQueueUrl returned; never one built by hand. */
  queueUrl: string;
}

/** The message body the worker parses: the id only, never the payload (DESIGN.md §1). */
export function messageBody(id: string): string {
  return JSON.stringify({ id });
}

/**
 * Sends one message per notification id, in SendMessageBatch calls of up to 10, in parallel.
 * Entries SQS rejects inside a successful batch call are sent once more; if any still fail, or
 * SQS cannot be reached, it throws AppError `UNAVAILABLE`. Some messages may have been sent by
 * then: a retry sends them again, which the worker's claim makes harmless.
 */
export function createSqsNotificationQueue(
  options: SqsNotificationQueueOptions,
): NotificationQueue {
  return {
    async enqueue(ids) {
      await Promise.all(chunk(ids).map((batch) => sendBatch(options, batch)));
    },
  };
}

async function sendBatch(options: SqsNotificationQueueOptions, ids: string[]): Promise<void> {
  let pending = ids.map((id, index) => ({ Id: String(index), MessageBody: messageBody(id) }));
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const failed = await trySend(options, pending);
    pending = pending.filter((entry) => failed.has(entry.Id));
  }
  if (pending.length > 0) {
    throw new AppError('UNAVAILABLE', `SQS refused ${pending.length} of ${ids.length} messages`);
  }
}

/** Returns the ids of the entries that failed. */
async function trySend(
  options: SqsNotificationQueueOptions,
  entries: { Id: string; MessageBody: string }[],
): Promise<Set<string>> {
  try {
    const res = await options.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }),
    );
    return new Set((res.Failed ?? []).flatMap((f) => (f.Id === undefined ? [] : [f.Id])));
  } catch (err) {
    throw toQueueError(err, 'SQS SendMessageBatch');
  }
}
