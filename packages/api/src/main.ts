import {
  checkReadiness,
  connectAws,
  createDynamoClientSettingsStore,
  createDynamoNotificationStore,
  recipientCapsFromSettings,
  createDynamoSuppressionList,
  createDynamoRevocationStore,
  createSnsStatusPublisher,
  createSqsNotificationQueue,
} from '@herald/aws';
import {
  createJwksReloader,
  createRevocationCache,
  createTokenVerifier,
  loadJwks,
} from '@herald/auth';
import {
  createAcceptNotification,
  createClientSettingsCache,
  createCancelNotification,
  createRecordReceipt,
  systemClock,
} from '@herald/core';
import {
  createDnsLookup,
  createUrlGuard,
  twilioDeliveryOutcome,
  twilioReceiptReason,
  verifyTwilioSignature,
} from '@herald/guards';
import { pino } from 'pino';
import { createApp } from './app';
import { audienceDeps } from './audience-deps';
import { unsubscribeLinks } from './unsubscribe-deps';
import { loadApiConfig, type ApiConfig } from './config';
import { createLongPollLimit } from './long-poll-limit';
import { clientRateLimit, readOverrides, sendOverrides } from './middleware/rate-limit';
import { applyServerLimits } from './server-limits';
import { createLinkPolicy, createUrlPolicy } from './url-policy';

/** Composition root: config → adapters → app → listen; SIGTERM/SIGINT close it cleanly. */
async function main(): Promise<void> {
  const config = loadApiConfig();
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'herald-api' } });
  const aws = await connectAws(config);
  const queueUrl = aws.queueUrl;
  const store = createDynamoNotificationStore({
    doc: aws.doc,
    tableName: config.HERALD_TABLE_NAME,
  });
  const revocations = createRevocationCache({
    store: createDynamoRevocationStore({ doc: aws.doc, tableName: config.HERALD_TABLE_NAME }),
    refreshMs: config.HERALD_REVOCATION_REFRESH_MS,
    logger,
  });
  await revocations.start();
  const jwks = createJwksReloader({
    initial: await loadJwks(config.HERALD_JWKS),
    load: () => loadJwks(config.HERALD_JWKS),
    refreshMs: config.HERALD_JWKS_REFRESH_MS,
    unknownKidIntervalMs: config.HERALD_JWKS_UNKNOWN_KID_RELOAD_MS,
    logger,
  });
  jwks.start();
  const verifier = createTokenVerifier({
    jwks,
    issuer: config.HERALD_TOKEN_ISSUER,
    audience: config.HERALD_TOKEN_AUDIENCE,
    isRevoked: (jti) => revocations.isRevoked(jti),
  });
  const queue = createSqsNotificationQueue({
    sqs: aws.sqs,
    queueUrl,
    lingerMs: config.HERALD_ENQUEUE_LINGER_MS,
  });
  const accept = createAcceptNotification({
    store,
    queue,
    clock: systemClock,
    logger,
    sweepAfterMs: config.HERALD_SWEEP_AFTER_SECONDS * 1000,
  });
  const events = config.HERALD_STATUS_TOPIC_ARN
    ? createSnsStatusPublisher({ sns: aws.sns, topicArn: config.HERALD_STATUS_TOPIC_ARN, logger })
    : undefined;
  const audience = audienceDeps(config, aws, {
    store,
    queue,
    logger,
    ...(events ? { events } : {}),
  });
  const local = config.HERALD_LOCAL_MODE === 'true';
  const clientSettings = createClientSettingsCache({
    reader: createDynamoClientSettingsStore({ doc: aws.doc, tableName: config.HERALD_TABLE_NAME }),
    clock: systemClock,
    ttlMs: config.HERALD_CLIENT_SETTINGS_CACHE_SECONDS * 1000,
  });
  const suppressions = createDynamoSuppressionList({
    doc: aws.doc,
    tableName: config.HERALD_AUDIENCE_TABLE_NAME,
  });
  const app = createApp({
    accept,
    suppressions,
    cancel: createCancelNotification({
      store,
      clock: systemClock,
      logger,
      ...(events ? { events } : {}),
    }),
    store,
    ...audience,
    verifier,
    logger,
    clientSettings,
    checkUrls: createUrlPolicy(
      createUrlGuard({
        allowLoopback: local,
        allowHttp: local,
        lookup: createDnsLookup({ timeoutMs: config.HERALD_DNS_TIMEOUT_MS }),
      }),
      { allowHttpLinks: local, maxChecksPerClient: config.HERALD_URL_CHECKS_PER_CLIENT },
    ),
    checkLink: createLinkPolicy({ allowHttpLinks: local }),
    readiness: () =>
      checkReadiness({
        dynamodb: aws.dynamodb,
        sqs: aws.sqs,
        tableName: config.HERALD_TABLE_NAME,
        queueUrl,
        audienceTableName: config.HERALD_AUDIENCE_TABLE_NAME,
      }),
    ...twilioReceipts(
      config,
      createRecordReceipt({
        store,
        clock: systemClock,
        logger,
        suppressions,
        ...(events ? { events } : {}),
      }),
    ),
    ...abuseLimits(config, aws.doc),
    ...unsubscribeLinks(config, audience.preferences, logger),
  });

  const server = app.listen(config.PORT, config.HOST);
  // Slow or stalled clients are cut off; long-polls (≤ 20 s) are responses, not requests.
  applyServerLimits(server);
  server.once('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ port, host: config.HOST }, 'herald api listening');
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'herald api stopping');
    revocations.stop();
    jwks.stop();
    // Accepted notifications whose enqueue is still buffered go out now, not after the last
    // long-poll has closed, and whatever requests still in flight add is drained before the exit;
    // if that cannot finish in time, the sweeper sends them (they are stored).
    void queue.drain();
    server.close(() => void queue.drain().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 25_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** Twilio receipts need the auth token (signatures) and the public URL Twilio calls. */
function twilioReceipts(config: ApiConfig, recordReceipt: ReturnType<typeof createRecordReceipt>) {
  const authToken = config.TWILIO_AUTH_TOKEN;
  if (authToken === undefined || config.HERALD_PUBLIC_URL === undefined) return {};
  return {
    twilioReceipts: {
      publicUrl: config.HERALD_PUBLIC_URL,
      verifySignature: (url: string, params: Record<string, string>, signature: string) =>
        verifyTwilioSignature({ authToken, url, params, signature }),
      interpret: (status: string, errorCode: string | undefined) => {
        const outcome = twilioDeliveryOutcome(status, errorCode);
        return outcome === 'failed'
          ? { outcome, reason: twilioReceiptReason(errorCode) }
          : { outcome };
      },
      recordReceipt,
    },
  };
}

/**
 * Per-client send and read rate limits and long-poll cap, each per api instance, and the
 * per-number caps, counted in the table (shared by every api instance and worker); 0 disables any
 * of them. A client's settings override its own send/read/long-poll limits and per-number cap.
 */
function abuseLimits(config: ApiConfig, doc: Parameters<typeof recipientCapsFromSettings>[0]) {
  const rate = config.HERALD_RATE_LIMIT_PER_SECOND;
  const burst = config.HERALD_RATE_LIMIT_BURST;
  const readRate = config.HERALD_READ_RATE_LIMIT_PER_SECOND;
  const readBurst = config.HERALD_READ_RATE_LIMIT_BURST;
  const longPolls = config.HERALD_LONG_POLLS_PER_CLIENT;
  const recipientCaps = recipientCapsFromSettings(doc, config);
  const clock = systemClock;
  return {
    ...(rate > 0 && burst > 0
      ? {
          clientRateLimit: clientRateLimit({
            ratePerSecond: rate,
            burst,
            clock,
            overrides: sendOverrides,
          }),
        }
      : {}),
    ...(readRate > 0 && readBurst > 0
      ? {
          readRateLimit: clientRateLimit({
            ratePerSecond: readRate,
            burst: readBurst,
            clock,
            overrides: readOverrides,
          }),
        }
      : {}),
    ...(longPolls > 0 ? { longPolls: createLongPollLimit({ maxPerClient: longPolls }) } : {}),
    ...(recipientCaps ? { recipientCaps } : {}),
  };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
