import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  connectAws,
  createDynamoNotificationStore,
  createSqsNotificationQueue,
  createSqsWorkQueue,
} from '@herald/aws';
import { createDeliverNotification, createSweepPending, systemClock } from '@herald/core';
import { pino } from 'pino';
import { loadWorkerConfig } from './config';
import { buildProviders } from './providers';
import { createQueueConsumer } from './queue-consumer';
import { startSweeper } from './sweeper';

const SWEEP_BATCH = 100;

/** Composition root: config → adapters → consumer + sweeper; SIGTERM/SIGINT stop cleanly. */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const workerId =
    config.HERALD_WORKER_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'herald-worker', workerId } });
  const aws = await connectAws(config);
  const queueUrl = aws.queueUrl;
  const store = createDynamoNotificationStore({
    doc: aws.doc,
    tableName: config.HERALD_TABLE_NAME,
  });
  const { providers, close: closeProviders } = buildProviders(config, logger);
  const sweepAfterMs = config.HERALD_SWEEP_AFTER_SECONDS * 1000;

  const deliver = createDeliverNotification({
    store,
    providers,
    clock: systemClock,
    logger,
    workerId,
    retryPolicy: {
      maxAttempts: config.HERALD_MAX_ATTEMPTS,
      baseDelayMs: config.HERALD_RETRY_BASE_MS,
      maxDelayMs: config.HERALD_RETRY_MAX_MS,
    },
    sendTimeoutMs: config.HERALD_SEND_TIMEOUT_MS,
    sweepAfterMs,
  });
  const consumer = createQueueConsumer({
    queue: createSqsWorkQueue({ sqs: aws.sqs, queueUrl }),
    handle: (message) => deliver(message.notificationId),
    logger,
    concurrency: config.WORKER_CONCURRENCY,
    visibilityTimeoutSeconds: config.HERALD_VISIBILITY_TIMEOUT_SECONDS,
    waitSeconds: 20,
  });
  const sweep = createSweepPending({
    store,
    queue: createSqsNotificationQueue({ sqs: aws.sqs, queueUrl }),
    clock: systemClock,
    logger,
    sweepAfterMs,
    batchSize: SWEEP_BATCH,
  });
  consumer.start();
  const sweeper = startSweeper(sweep, config.HERALD_SWEEP_INTERVAL_MS, SWEEP_BATCH, logger);
  logger.info({ concurrency: config.WORKER_CONCURRENCY }, 'herald worker started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'herald worker stopping');
    await sweeper.stop();
    const { unfinished } = await consumer.stop(config.HERALD_SHUTDOWN_GRACE_MS);
    closeProviders();
    logger.info({ unfinished }, 'herald worker stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
