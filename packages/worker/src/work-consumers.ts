import { createSqsWorkQueue, type AwsClients } from '@herald/aws';
import {
  LANES,
  systemClock,
  type Lane,
  type Logger,
  type NotificationStore,
  type QueueMessage,
  type StatusEventRelay,
} from '@herald/core';
import type { WorkerConfig } from './config';
import { createPoisonPolicy } from './poison';
import { createQueueConsumer, type MessageOutcome } from './queue-consumer';
import { createSlotPool } from './slot-pool';

export interface WorkConsumersOptions {
  sqs: AwsClients['sqs'];
  /** Each lane's queue: the work queue and the bulk queue (topic children). */
  queueUrls: Record<Lane, string>;
  config: WorkerConfig;
  store: NotificationStore;
  handle: (message: QueueMessage) => Promise<MessageOutcome>;
  logger: Logger;
  events?: StatusEventRelay;
}

/**
 * One consumer per lane's queue, sharing `HERALD_WORKER_CONCURRENCY` slots: the bulk queue's
 * consumer holds at most `HERALD_BULK_MAX_SHARE` of them, so direct sends always find a slot
 * during a fan-out (slot-pool.ts). Each consumer has its own `WorkQueue`, so a message it hands
 * back (`sendDelayed`, on its last receives) goes to the queue it came from, and a poison
 * message dead-letters to that queue's own DLQ.
 */
export function createWorkConsumers(opts: WorkConsumersOptions) {
  const { config } = opts;
  const pool = createSlotPool(config.HERALD_WORKER_CONCURRENCY, config.HERALD_BULK_MAX_SHARE);
  const onProcessingFailure = createPoisonPolicy({
    store: opts.store,
    clock: systemClock,
    logger: opts.logger,
    maxReceiveCount: config.HERALD_MAX_RECEIVE_COUNT,
    ...(opts.events ? { events: opts.events } : {}),
  });
  const consumers = LANES.map((lane) =>
    createQueueConsumer({
      queue: createSqsWorkQueue({
        sqs: opts.sqs,
        queueUrl: opts.queueUrls[lane],
        visibilityTimeoutSeconds: config.HERALD_VISIBILITY_TIMEOUT_SECONDS,
      }),
      handle: opts.handle,
      logger: opts.logger.child({ lane }),
      concurrency: config.HERALD_WORKER_CONCURRENCY,
      slots: pool.lane(lane),
      visibilityTimeoutSeconds: config.HERALD_VISIBILITY_TIMEOUT_SECONDS,
      waitSeconds: 20,
      receiveLingerMs: config.HERALD_RECEIVE_LINGER_MS,
      storeErrorDelaySeconds: config.HERALD_PROCESSING_RETRY_SECONDS,
      maxReceiveCount: config.HERALD_MAX_RECEIVE_COUNT,
      onProcessingFailure,
    }),
  );
  return {
    /** Most slots the bulk queue's consumer takes. */
    bulkMax: pool.bulkMax,
    start(): void {
      for (const consumer of consumers) consumer.start();
    },
    /** Stops both (see `createQueueConsumer`'s `stop`); how many messages were left unfinished. */
    async stop(graceMs: number): Promise<{ unfinished: number }> {
      const results = await Promise.all(consumers.map((c) => c.stop(graceMs)));
      return { unfinished: results.reduce((sum, r) => sum + r.unfinished, 0) };
    },
  };
}
