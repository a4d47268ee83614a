import { CHANNELS } from '@herald/core';
import { z } from 'zod';
import { awsEnvSchema } from './aws-env';
import { intFromEnv, logLevelSchema } from './parse-env';
import {
  callbackSecretSchema,
  clientSettingsCacheSecondsSchema,
  dnsTimeoutMsSchema,
  localModeSchema,
  recipientCapShape,
  sweepAfterSecondsSchema,
} from './shared-env';
import { apnsIssues, workerApnsFields } from './worker-apns-env';
import { ROUTE_VARIABLES, workerChannelFields } from './worker-channels-env';
import { sandboxRouteIssues } from './worker-routing-env';

/** The worker's environment (`packages/worker`): queue, delivery, providers, routing, callbacks. */
export const workerEnvSchema = awsEnvSchema
  .extend({
    ...workerChannelFields,
    ...workerApnsFields,
    HERALD_WORKER_ID: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('names this worker in claims and logs; default: `<host>-<pid>-<random>`'),
    HERALD_CLIENT_SETTINGS_CACHE_SECONDS: clientSettingsCacheSecondsSchema,
    HERALD_LOCAL_MODE: localModeSchema,
    HERALD_DNS_TIMEOUT_MS: dnsTimeoutMsSchema,
    HERALD_CALLBACK_QUEUE_URL: z
      .url()
      .optional()
      .describe(
        'the queue subscribed to the status topic: runs the callback dispatcher on it (needs `HERALD_CALLBACK_SECRET`)',
      ),
    HERALD_CALLBACK_SECRET: callbackSecretSchema,
    HERALD_CALLBACK_MAX_ATTEMPTS: intFromEnv(8, 1, 50).describe(
      'attempts per callback before it is dropped',
    ),
    HERALD_WORKER_CONCURRENCY: intFromEnv(32, 1, 1_000).describe(
      'notifications processed at once, both queues together',
    ),
    HERALD_BULK_QUEUE_URL: z
      .url()
      .optional()
      .describe(
        'the bulk queue (children of topic sends); default: looked up as `<HERALD_QUEUE_NAME>-bulk` (`herald setup` creates it)',
      ),
    HERALD_BULK_MAX_SHARE: z.coerce
      .number()
      .min(0.05)
      .max(1)
      .default(0.75)
      .describe(
        'most of `HERALD_WORKER_CONCURRENCY` the bulk queue may use (rounded down, at least 1); the rest is kept for direct sends',
      ),
    HERALD_RECEIVE_LINGER_MS: intFromEnv(0, 0, 1_000).describe(
      'after a receive that came back short, wait this long so a trickle shares receives (see Performance)',
    ),
    HERALD_VISIBILITY_TIMEOUT_SECONDS: intFromEnv(30, 5, 43_200).describe(
      "must match the queue's; the heartbeat renews at half",
    ),
    HERALD_MAX_RECEIVE_COUNT: intFromEnv(10, 1, 1_000).describe(
      "must match the work queue's maxReceiveCount (`herald setup` uses 10): a message only waiting on its last receives is replaced",
    ),
    HERALD_PROCESSING_RETRY_SECONDS: intFromEnv(5, 0, 43_200).describe(
      'how long a message whose processing threw stays hidden before it is tried again',
    ),
    HERALD_SEND_TIMEOUT_MS: intFromEnv(20_000, 100).describe(
      'a provider call is abandoned (and retried) after this; SMTP counts it once a connection is held',
    ),
    HERALD_MAX_ATTEMPTS: intFromEnv(8, 1, 100).describe(
      'attempts before a notification ends `retries_exhausted`',
    ),
    HERALD_RETRY_BASE_MS: intFromEnv(2_000, 10).describe(
      'first retry delay: capped exponential backoff with full jitter',
    ),
    HERALD_RETRY_MAX_MS: intFromEnv(300_000, 10).describe('the cap of the retry delay'),
    HERALD_SWEEP_INTERVAL_MS: intFromEnv(10_000, 100).describe(
      'how often the sweeper looks for untouched `Pending` notifications (local: `2000`)',
    ),
    HERALD_SWEEP_AFTER_SECONDS: sweepAfterSecondsSchema,
    ...recipientCapShape,
    HERALD_SHUTDOWN_GRACE_MS: intFromEnv(25_000, 0).describe(
      'on SIGTERM, how long in-flight sends may finish',
    ),
    HERALD_WORKER_HEAP_GROWTH_PERCENT: intFromEnv(100, 0, 1_000).describe(
      "V8 old-generation growth past the live heap between full GCs, %; `0`: V8's own (see below)",
    ),
    LOG_LEVEL: logLevelSchema,
  })
  // Cross-variable rules run even when single variables are wrong, so one start lists everything.
  .superRefine(
    (c, ctx) => {
      if (c.HERALD_CALLBACK_QUEUE_URL !== undefined && c.HERALD_CALLBACK_SECRET === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'HERALD_CALLBACK_SECRET is required when HERALD_CALLBACK_QUEUE_URL is set',
          path: ['HERALD_CALLBACK_SECRET'],
        });
      }
      if (c.SMTP_URL !== undefined && c.EMAIL_FROM === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'EMAIL_FROM is required when SMTP_URL is set',
          path: ['EMAIL_FROM'],
        });
      }
      for (const issue of apnsIssues(c)) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: [issue.variable] });
      }
      const routes = Object.fromEntries(
        CHANNELS.map((channel) => [ROUTE_VARIABLES[channel], c[ROUTE_VARIABLES[channel]]]),
      );
      for (const issue of sandboxRouteIssues(routes, c.HERALD_ALLOW_SANDBOX)) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: [issue.variable] });
      }
    },
    { when: () => true },
  );

/** The worker's settings, parsed: routes, pacing and Slack webhooks already in their final form. */
export type WorkerEnv = z.infer<typeof workerEnvSchema>;
