import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  connectAws,
  createDynamoClientSettingsStore,
  createDynamoDeadTargetStore,
  createDynamoNotificationStore,
  createDynamoSendTimeAudience,
  createDynamoSuppressionList,
  createSnsStatusPublisher,
  createSqsNotificationQueue,
  createSqsWorkQueue,
  resolveBulkQueueUrl,
  type AwsClients,
} from '@herald/aws';
import {
  createCircuitBreakers,
  createClientSettingsCache,
  createDeliverNotification,
  createStatusRelay,
  createSweepPending,
  isTopicSendId,
  createTokenBucketPacer,
  systemClock,
  type Logger,
} from '@herald/core';
import { createCallbackSender } from '@herald/providers';
import { pino } from 'pino';
import { createCallbackHandler } from './callback-handler';
import { createFanOut } from './fan-out';
import { loadWorkerConfig, type WorkerConfig } from './config';
import { buildProviders, workerUrlGuard } from './provider-registry';
import { createQueueConsumer } from './queue-consumer';
import { createWorkConsumers } from './work-consumers';
import { limitHeapGrowth } from './heap-growth';
import { startSweeper } from './sweeper';
import { unsubscribeHeadersFromConfig } from './unsubscribe-headers';

const SWEEP_BATCH = 100;

/** How far beyond the next sweep the sweeper enqueues notifications that fall due. */
const SWEEP_LOOK_AHEAD_MARGIN_MS = 5_000;

/** Composition root: config → adapters → consumer + sweeper; SIGTERM/SIGINT stop cleanly. */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  limitHeapGrowth(config.HERALD_WORKER_HEAP_GROWTH_PERCENT);
  const workerId =
    config.HERALD_WORKER_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'herald-worker', workerId } });
  for (const warning of config.configWarnings) logger.warn(warning);
  const aws = await connectAws(config);
  const queueUrl = aws.queueUrl;
  const bulkQueueUrl = await resolveBulkQueueUrl(aws.sqs, config);
  // Both lanes' queues: the sweeper (and the fan-out) enqueue each notification on its own.
  const queue = createSqsNotificationQueue({ sqs: aws.sqs, queueUrl, bulkQueueUrl });
  const store = createDynamoNotificationStore({
    doc: aws.doc,
    tableName: config.HERALD_TABLE_NAME,
  });
  const clientSettings = createClientSettingsCache({
    reader: createDynamoClientSettingsStore({ doc: aws.doc, tableName: config.HERALD_TABLE_NAME }),
    clock: systemClock,
    ttlMs: config.HERALD_CLIENT_SETTINGS_CACHE_SECONDS * 1000,
  });
  const built = buildProviders(config, { sns: aws.sns, logger, clientSettings });
  const providers = built.providers;
  const sweepAfterMs = config.HERALD_SWEEP_AFTER_SECONDS * 1000;
  // The status-event outbox relay: publishes right after each final write, outside the delivery
  // slot; events a crash or an SNS failure left owed are republished by `recover` (below).
  const relay = config.HERALD_STATUS_TOPIC_ARN
    ? createStatusRelay({
        store,
        events: createSnsStatusPublisher({
          sns: aws.sns,
          topicArn: config.HERALD_STATUS_TOPIC_ARN,
          logger,
        }),
        clock: systemClock,
        logger: logger.child({ component: 'status-relay' }),
        recoverAfterMs: sweepAfterMs,
      })
    : undefined;

  const messageHeaders = unsubscribeHeadersFromConfig(config, logger);
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
    receiptTimeoutMs: config.HERALD_RECEIPT_TIMEOUT_SECONDS * 1000,
    maxPacingWaitMs: config.HERALD_MAX_PACING_WAIT_MS,
    breakers: createCircuitBreakers({
      failureThreshold: config.HERALD_CIRCUIT_FAILURES,
      cooldownMs: config.HERALD_CIRCUIT_COOLDOWN_MS,
      clock: systemClock,
    }),
    pacer: createTokenBucketPacer(config.HERALD_PACING, systemClock),
    deadTargets: createDynamoDeadTargetStore({ doc: aws.doc, tableName: config.HERALD_TABLE_NAME }),
    audience: createDynamoSendTimeAudience({
      doc: aws.doc,
      tableName: config.HERALD_AUDIENCE_TABLE_NAME,
    }),
    suppressions: createDynamoSuppressionList({
      doc: aws.doc,
      tableName: config.HERALD_AUDIENCE_TABLE_NAME,
    }),
    ...(relay ? { events: relay } : {}),
    ...(messageHeaders ? { messageHeaders } : {}),
  });
  const fanOut = createFanOut(config, aws, {
    store,
    // Children travel on the bulk lane, so a large fan-out never delays a direct send.
    childQueue: { enqueue: (ids, opts) => queue.enqueue(ids, { ...opts, lane: 'bulk' }) },
    workerId,
    logger,
    clientSettings,
    ...(relay ? { relay } : {}),
  });
  const consumer = createWorkConsumers({
    sqs: aws.sqs,
    queueUrls: { transactional: queueUrl, bulk: bulkQueueUrl },
    config,
    store,
    // A topic send's id says it is one: it is fanned out, not delivered.
    handle: (message) =>
      isTopicSendId(message.notificationId)
        ? fanOut(message.notificationId)
        : deliver(message.notificationId),
    logger,
    ...(relay ? { events: relay } : {}),
  });
  const sweep = createSweepPending({
    store,
    queue,
    clock: systemClock,
    logger,
    sweepAfterMs,
    batchSize: SWEEP_BATCH,
    // One interval plus a margin for a slow sweep: a scheduled notification is in the queue,
    // hidden until its sendAt, before it falls due (docs/architecture.md, scheduling).
    lookAheadMs: config.HERALD_SWEEP_INTERVAL_MS + SWEEP_LOOK_AHEAD_MARGIN_MS,
  });
  const callbacks = startCallbackDispatcher(config, aws, logger);
  consumer.start();
  const sweeper = startSweeper(sweep, config.HERALD_SWEEP_INTERVAL_MS, SWEEP_BATCH, logger);
  // Crash recovery only: events still owed `sweepAfterMs` after their final write.
  const recovery = relay
    ? startSweeper(
        () => relay.recover(SWEEP_BATCH),
        config.HERALD_SWEEP_INTERVAL_MS,
        SWEEP_BATCH,
        logger,
      )
    : undefined;
  logger.info(
    { concurrency: config.HERALD_WORKER_CONCURRENCY, bulkMax: consumer.bulkMax },
    'herald worker started',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'herald worker stopping');
    await Promise.all([sweeper.stop(), recovery?.stop()]);
    const [{ unfinished }] = await Promise.all([
      consumer.stop(config.HERALD_SHUTDOWN_GRACE_MS),
      callbacks?.stop(config.HERALD_SHUTDOWN_GRACE_MS),
    ]);
    // The last deliveries' events: what does not make it stays owed for the next worker.
    await relay?.drain(config.HERALD_SHUTDOWN_GRACE_MS);
    built.close();
    logger.info({ unfinished }, 'herald worker stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** The callbacks consumer, when a callbacks queue is configured. */
function startCallbackDispatcher(config: WorkerConfig, aws: AwsClients, logger: Logger) {
  if (config.HERALD_CALLBACK_QUEUE_URL === undefined || config.HERALD_CALLBACK_SECRET === undefined)
    return undefined;
  const consumer = createQueueConsumer({
    queue: createSqsWorkQueue({
      sqs: aws.sqs,
      queueUrl: config.HERALD_CALLBACK_QUEUE_URL,
      visibilityTimeoutSeconds: config.HERALD_VISIBILITY_TIMEOUT_SECONDS,
    }),
    handle: createCallbackHandler({
      sender: createCallbackSender({
        guard: workerUrlGuard(config),
        masterSecret: config.HERALD_CALLBACK_SECRET,
        logger,
      }),
      logger: logger.child({ component: 'callbacks' }),
      maxAttempts: config.HERALD_CALLBACK_MAX_ATTEMPTS,
      baseDelayMs: config.HERALD_RETRY_BASE_MS,
      maxDelayMs: config.HERALD_RETRY_MAX_MS,
    }),
    logger,
    concurrency: 16,
    visibilityTimeoutSeconds: config.HERALD_VISIBILITY_TIMEOUT_SECONDS,
    waitSeconds: 20,
  });
  consumer.start();
  return consumer;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
