import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import type { NotificationQueue } from '@herald/core';
import { SQS_BATCH_SIZE } from '../batches';
import { createMicroBatcher } from '../micro-batcher';
import { toQueueError } from '../errors';

export interface SqsNotificationQueueOptions {
  sqs: SQSClient;
  /** The URL CreateQueue or GetQueueUrl returned; never one built by hand. */
  queueUrl: string;
  /**
   * The bulk queue (topic children, `lane: 'bulk'`): only the worker enqueues on it, so only the
   * worker passes it. Without it a bulk enqueue throws `INTERNAL`.
   */
  bulkQueueUrl?: string;
  /**
   * How long a send that is not full waits for more ids (micro-batcher.ts). Default 0. The api
   * sets it, because it answers before its enqueue finishes; the sweeper awaits its own.
   */
  lingerMs?: number;
}

/** A queue whose buffered sends can be flushed before the process exits. */
export interface DrainableNotificationQueue extends NotificationQueue {
  /** Sends every id still waiting and resolves when every send has answered. */
  drain(): Promise<void>;
}

/**
 * The message body the worker parses: the id only, never the payload (docs/architecture.md,
 * the flow).
 */
export function messageBody(id: string): string {
  return JSON.stringify({ id });
}

/** An id to send, hidden for `delaySeconds` (0–900, SQS's limit). */
interface Entry {
  id: string;
  delaySeconds: number;
}

/** SQS's longest DelaySeconds. */
const MAX_DELAY_SECONDS = 900;

const MAX_IN_FLIGHT = 8;
/**
 * Ids waiting for a send beyond this fail at once (and are left to the sweeper, since they are
 * already stored): an api whose enqueues do not hold requests back must not buffer without bound
 * while SQS is slow or down.
 */
const MAX_WAITING = 10_000;

/**
 * Sends one message per notification id in SendMessageBatch calls of up to 10, each hidden for
 * `delaySeconds` when given (rounded up and clamped to SQS's 0–900, so it never arrives early). Ids enqueued by
 * concurrent callers (many api requests at once), or within `lingerMs` of each other, share
 * calls: see micro-batcher.ts. More than 10,000 ids waiting fail at once with `UNAVAILABLE`.
 * Entries SQS rejects inside a successful batch call are sent once more; an id that still fails,
 * or whose call could not reach SQS, makes `enqueue` throw AppError `UNAVAILABLE`. Some of its
 * ids may have been sent by then: a retry sends them again, which the worker's claim makes harmless.
 * `lane: 'bulk'` sends to `bulkQueueUrl`; each queue has its own batches and bounds.
 */
export function createSqsNotificationQueue(
  options: SqsNotificationQueueOptions,
): DrainableNotificationQueue {
  const batcherOf = (queueUrl: string) =>
    createMicroBatcher<Entry, void>({
      maxBatch: SQS_BATCH_SIZE,
      maxInFlight: MAX_IN_FLIGHT,
      maxWaiting: MAX_WAITING,
      lingerMs: options.lingerMs ?? 0,
      run: (entries) => sendBatch(options.sqs, queueUrl, entries),
    });
  const transactional = batcherOf(options.queueUrl);
  const bulk = options.bulkQueueUrl === undefined ? undefined : batcherOf(options.bulkQueueUrl);
  return {
    async enqueue(ids, opts) {
      const batcher = opts?.lane === 'bulk' ? bulk : transactional;
      if (batcher === undefined) {
        throw new AppError('INTERNAL', 'no bulk queue is configured (HERALD_BULK_QUEUE_URL)');
      }
      const delaySeconds = Math.min(
        MAX_DELAY_SECONDS,
        Math.max(0, Math.ceil(opts?.delaySeconds ?? 0)),
      );
      await Promise.all(ids.map((id) => batcher.add({ id, delaySeconds })));
    },
    drain: async () => {
      await Promise.all([transactional.drain(), bulk?.drain()]);
    },
  };
}

async function sendBatch(
  sqs: SQSClient,
  queueUrl: string,
  ids: Entry[],
): Promise<PromiseSettledResult<void>[]> {
  // Each entry carries its own delay, so delayed and immediate ids can share a call.
  let pending = ids.map(({ id, delaySeconds }, index) => ({
    Id: String(index),
    MessageBody: messageBody(id),
    ...(delaySeconds > 0 ? { DelaySeconds: delaySeconds } : {}),
  }));
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const failed = await trySend(sqs, queueUrl, pending);
    pending = pending.filter((entry) => failed.has(entry.Id));
  }
  const refused = new Set(pending.map((entry) => entry.Id));
  return ids.map((_id, index) =>
    refused.has(String(index))
      ? { status: 'rejected', reason: new AppError('UNAVAILABLE', 'SQS refused the message') }
      : { status: 'fulfilled', value: undefined },
  );
}

/** Returns the ids of the entries that failed. */
async function trySend(
  sqs: SQSClient,
  queueUrl: string,
  entries: { Id: string; MessageBody: string; DelaySeconds?: number }[],
): Promise<Set<string>> {
  try {
    const res = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
    );
    return new Set((res.Failed ?? []).flatMap((f) => (f.Id === undefined ? [] : [f.Id])));
  } catch (err) {
    throw toQueueError(err, 'SQS SendMessageBatch');
  }
}
