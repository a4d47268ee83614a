import type { Lane } from './lane';

/*
 * The queue ports (SQS in every mode): the side that hands ids to the workers, and the workers'
 * side. Re-exported by ports.ts, where the other ports are.
 */

/** How `NotificationQueue.enqueue` sends: hidden for a while, and on which lane's queue. */
export interface EnqueueOptions {
  /** Hidden for this long (clamped to 0–900). */
  delaySeconds?: number;
  /** The queue: `transactional` (default) or `bulk` (topic children). */
  lane?: Lane;
}

/**
 * Hands notification ids to the workers (SQS). Throws AppError `UNAVAILABLE` when it cannot, and
 * `INTERNAL` for the `bulk` lane when no bulk queue is configured (only the worker has one).
 */
export interface NotificationQueue {
  /** One message per id on the lane's queue, hidden for `delaySeconds` when given. */
  enqueue(ids: readonly string[], opts?: EnqueueOptions): Promise<void>;
}

/** A message a worker received: the notification id and how to acknowledge it. */
export interface QueueMessage {
  notificationId: string;
  receiptHandle: string;
  receiveCount: number;
  /** The raw body, for logging a message that does not parse. */
  body: string;
}

/**
 * The worker's side of the notification queue (SQS: `@herald/aws` `createSqsWorkQueue`). Every
 * failure throws AppError `UNAVAILABLE`.
 */
export interface WorkQueue {
  /**
   * Long-polls for up to `max` messages (1–10) for up to `waitSeconds` (0–20). Resolves with []
   * when nothing arrived or when `signal` aborted the poll. A body that is not `{"id":"…"}`
   * yields `notificationId: ''` and the raw body, so the worker decides what to do with it.
   */
  receive(max: number, waitSeconds: number, signal?: AbortSignal): Promise<QueueMessage[]>;
  /** Deletes the messages (DeleteMessageBatch, 10 at a time). Entries SQS rejects are tried once more. */
  ack(receiptHandles: readonly string[]): Promise<void>;
  /** Makes the message invisible for `seconds` (0–43200) from now; 0 redelivers it at once. */
  setVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /**
   * Sends a new message with `body`, hidden for `delaySeconds` (clamped to SQS's 0–900). Its
   * receive count starts at 0: the worker uses it to replace a message it only has to wait on.
   */
  sendDelayed(body: string, delaySeconds: number): Promise<void>;
}
