/** Test support for the consumer suites: an in-memory work queue and its messages. */
import { AppError, type QueueMessage, type WorkQueue } from '@herald/core';

/** An in-memory queue: hands out queued messages and records acks and visibility changes. */
export class FakeWorkQueue implements WorkQueue {
  waiting: QueueMessage[] = [];
  acked: string[] = [];
  visibility: [string, number][] = [];
  sentDelayed: [string, number][] = [];
  sendFails = false;
  receive(max: number, _wait: number, signal?: AbortSignal): Promise<QueueMessage[]> {
    const batch = this.waiting.splice(0, max);
    if (batch.length > 0) return Promise.resolve(batch);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve([]), 20);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve([]);
      });
    });
  }
  ack(handles: string[]): Promise<void> {
    this.acked.push(...handles);
    return Promise.resolve();
  }
  setVisibility(handle: string, seconds: number): Promise<void> {
    this.visibility.push([handle, seconds]);
    return Promise.resolve();
  }
  sendDelayed(body: string, delaySeconds: number): Promise<void> {
    if (this.sendFails) return Promise.reject(new AppError('UNAVAILABLE', 'SQS down'));
    this.sentDelayed.push([body, delaySeconds]);
    return Promise.resolve();
  }
}

export const message = (id: string, receiveCount = 1): QueueMessage => ({
  notificationId: id,
  receiptHandle: `rh-${id}`,
  receiveCount,
  body: `{"id":"${id}"}`,
});

export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}
