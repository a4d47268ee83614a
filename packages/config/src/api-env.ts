import { z } from 'zod';
import { awsEnvSchema } from './aws-env';
import { DEFAULT_TOKEN_AUDIENCE, DEFAULT_TOKEN_ISSUER } from './defaults';
import { intFromEnv, logLevelSchema } from './parse-env';
import {
  apiPortSchema,
  clientSettingsCacheSecondsSchema,
  dnsTimeoutMsSchema,
  localModeSchema,
  linkSecretSchema,
  publicUrlSchema,
  recipientCapShape,
  sweepAfterSecondsSchema,
  twilioAuthTokenSchema,
} from './shared-env';

/** The `iss` tokens carry; the api pins it and the CLI issues it. */
export const tokenIssuerSchema = z
  .string()
  .min(1)
  .default(DEFAULT_TOKEN_ISSUER)
  .describe('pinned token `iss`');

/** The `aud` tokens carry; the api pins it and the CLI issues it. */
export const tokenAudienceSchema = z
  .string()
  .min(1)
  .default(DEFAULT_TOKEN_AUDIENCE)
  .describe('pinned token `aud`');

/** The api's environment (`packages/api`). */
export const apiEnvSchema = awsEnvSchema.extend({
  PORT: apiPortSchema,
  HOST: z.string().min(1).default('0.0.0.0').describe('listen address (local: `127.0.0.1`)'),
  HERALD_JWKS: z
    .string()
    .min(1, 'HERALD_JWKS is required (path to jwks.json or its JSON)')
    .describe(
      'the public keys tokens are verified with: a path to `jwks.json`, or the JSON itself',
    ),
  HERALD_JWKS_REFRESH_MS: intFromEnv(60_000, 1_000).describe(
    'how often `HERALD_JWKS` is re-read: a retired key stops verifying within this delay',
  ),
  HERALD_JWKS_UNKNOWN_KID_RELOAD_MS: intFromEnv(10_000, 1_000).describe(
    'a token with an unknown `kid` re-reads `HERALD_JWKS` at most this often (a new key works at once)',
  ),
  HERALD_TOKEN_ISSUER: tokenIssuerSchema,
  HERALD_TOKEN_AUDIENCE: tokenAudienceSchema,
  HERALD_SWEEP_AFTER_SECONDS: sweepAfterSecondsSchema,
  HERALD_ENQUEUE_LINGER_MS: intFromEnv(20, 0, 1_000).describe(
    'how long an accepted id waits for others to share its SendMessageBatch; the 202 never waits for it, delivery may',
  ),
  HERALD_REVOCATION_REFRESH_MS: intFromEnv(2_000, 100).describe(
    'how often token revocations are re-read',
  ),
  TWILIO_AUTH_TOKEN: twilioAuthTokenSchema,
  HERALD_PUBLIC_URL: publicUrlSchema,
  HERALD_LINK_SECRET: linkSecretSchema,
  HERALD_LOCAL_MODE: localModeSchema,
  HERALD_DNS_TIMEOUT_MS: dnsTimeoutMsSchema,
  HERALD_URL_CHECKS_PER_CLIENT: intFromEnv(8, 1, 1_000).describe(
    'URL checks (name lookups) one client may have in flight per api instance; beyond: 429',
  ),
  HERALD_RATE_LIMIT_PER_SECOND: intFromEnv(100, 0).describe(
    'sends per second per client and api instance (`POST /v1/notifications`); over it: 429; `0` disables',
  ),
  HERALD_RATE_LIMIT_BURST: intFromEnv(200, 0).describe(
    'the burst of `HERALD_RATE_LIMIT_PER_SECOND`; `0` disables the limit',
  ),
  HERALD_READ_RATE_LIMIT_PER_SECOND: intFromEnv(100, 0).describe(
    'reads per second per client and api instance (`GET /v1/notifications[/:id]`, and every `/v1/recipients` and `/v1/topics` route); over it: 429; `0` disables',
  ),
  HERALD_READ_RATE_LIMIT_BURST: intFromEnv(200, 0).describe(
    'the burst of `HERALD_READ_RATE_LIMIT_PER_SECOND`; `0` disables the limit',
  ),
  HERALD_LONG_POLLS_PER_CLIENT: intFromEnv(20, 0).describe(
    'open `?waitSeconds=` requests per client and api instance; one more: 429; `0` disables',
  ),
  ...recipientCapShape,
  HERALD_CLIENT_SETTINGS_CACHE_SECONDS: clientSettingsCacheSecondsSchema,
  LOG_LEVEL: logLevelSchema,
});

/** The api's settings, parsed. */
export type ApiEnv = z.infer<typeof apiEnvSchema>;
