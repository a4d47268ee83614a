import { z } from 'zod';
import { flagFromEnv, intFromEnv } from './parse-env';

/*
 * Variables the api and the worker both read, defined once so that both read them alike (and the
 * configuration reference shows one row for both).
 */

/** HERALD_SWEEP_AFTER_SECONDS: when the sweeper re-enqueues a notification; the api and the worker must agree. */
export const sweepAfterSecondsSchema = intFromEnv(60, 1).describe(
  'when an untouched `Pending` notification is re-enqueued (local: `10`)',
);

/** HERALD_PUBLIC_URL: where Twilio sends delivery receipts. */
export const publicUrlSchema = z
  .url()
  .optional()
  .describe(
    "the api's public base URL; enables Twilio delivery receipts (with `TWILIO_AUTH_TOKEN` on the api)",
  );

/** HERALD_LOCAL_MODE: the URL guard's local relaxations. */
export const localModeSchema = flagFromEnv('false').describe(
  'allow http, loopback and any port for callbacks, webhooks and push services (local: `true`)',
);

/** HERALD_DNS_TIMEOUT_MS: the URL guard's name lookups. */
export const dnsTimeoutMsSchema = intFromEnv(2_000, 100, 30_000).describe(
  'a name lookup for a callback, webhook or push endpoint host gives up after this',
);

/** HERALD_CLIENT_SETTINGS_CACHE_SECONDS: the client settings cache's lifetime. */
export const clientSettingsCacheSecondsSchema = intFromEnv(30, 0, 30).describe(
  'how long client settings (`herald client set`) are reused before they are read again',
);

/** TWILIO_AUTH_TOKEN: the worker sends with it, the api checks receipt signatures with it. */
export const twilioAuthTokenSchema = z
  .string()
  .min(1)
  .optional()
  .describe(
    'Twilio credentials: the worker sends SMS and WhatsApp with them, the api checks delivery receipts (`X-Twilio-Signature`)',
  );

/** HERALD_CALLBACK_SECRET: the worker signs callbacks, the CLI prints a client's secret. */
export const callbackSecretSchema = z
  .string()
  .min(32, 'must be at least 32 characters')
  .optional()
  .describe(
    "master secret (≥ 32 characters) from which each client's callback signing secret is derived",
  );

/** PORT: the api's, whether started alone or by `pnpm start`. */
export const apiPortSchema = intFromEnv(3000, 0, 65_535).describe("the api's listen port");
