import type { QueueMessage } from '@herald/core';

/** The slice of the SQS work queue the consumer uses (`@herald/aws` `createSqsWorkQueue`). */
export interface WorkQueue {
  receive(max: number, waitSeconds: number, signal?: AbortSignal): Promise<QueueMessage[]>;
  ack(receiptHandles: string[]): Promise<void>;
  setVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** Sends a new message with this body, delivered after `delaySeconds` (0–900). */
  sendDelayed(body: string, delaySeconds: number): Promise<void>;
}
