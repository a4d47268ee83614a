import {
  checkReadiness,
  connectAws,
  createDynamoNotificationStore,
  createDynamoRevocationStore,
  createSqsNotificationQueue,
} from '@herald/aws';
import { createRevocationCache, createTokenVerifier, loadJwks } from '@herald/auth';
import { createAcceptNotification, systemClock } from '@herald/core';
import { pino } from 'pino';
import { createApp } from './app';
import { loadApiConfig } from './config';

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
  const verifier = createTokenVerifier({
    jwks: await loadJwks(config.HERALD_JWKS),
    issuer: config.HERALD_TOKEN_ISSUER,
    audience: config.HERALD_TOKEN_AUDIENCE,
    isRevoked: (jti) => revocations.isRevoked(jti),
  });
  const accept = createAcceptNotification({
    store,
    queue: createSqsNotificationQueue({ sqs: aws.sqs, queueUrl }),
    clock: systemClock,
    logger,
    sweepAfterMs: config.HERALD_SWEEP_AFTER_SECONDS * 1000,
  });
  const app = createApp({
    accept,
    store,
    verifier,
    logger,
    readiness: () =>
      checkReadiness({
        dynamodb: aws.dynamodb,
        sqs: aws.sqs,
        tableName: config.HERALD_TABLE_NAME,
        queueUrl,
      }),
  });

  const server = app.listen(config.PORT, config.HOST);
  // Slow or stalled clients are cut off; long-polls (≤ 20 s) are responses, not requests.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 65_000;
  server.once('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ port, host: config.HOST }, 'herald api listening');
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'herald api stopping');
    revocations.stop();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 25_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
