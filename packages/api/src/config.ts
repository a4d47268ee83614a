import { awsEnvSchema, intFromEnv, parseEnv } from '@herald/aws';
import { z } from 'zod';

const apiEnvSchema = awsEnvSchema.extend({
  PORT: intFromEnv(3000, 0, 65_535),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** The public key set tokens are verified with: a path to a JWKS file, or the JSON itself. */
  HERALD_JWKS: z.string().min(1, 'HERALD_JWKS is required (path to jwks.json or its JSON)'),
  /** How often HERALD_JWKS is re-read: a retired key stops verifying within this delay. */
  HERALD_JWKS_REFRESH_MS: intFromEnv(60_000, 1_000),
  /** Least time between two re-reads caused by tokens naming a kid the api does not know. */
  HERALD_JWKS_UNKNOWN_KID_RELOAD_MS: intFromEnv(10_000, 1_000),
  HERALD_TOKEN_ISSUER: z.string().min(1).default('herald'),
  HERALD_TOKEN_AUDIENCE: z.string().min(1).default('herald-api'),
  HERALD_SWEEP_AFTER_SECONDS: intFromEnv(60, 1),
  /**
   * How long an enqueue waits for others to share its SendMessageBatch. Requests never wait for
   * it (the api answers once the store write is durable); it delays delivery by up to this much.
   */
  HERALD_ENQUEUE_LINGER_MS: intFromEnv(20, 0, 1_000),
  HERALD_REVOCATION_REFRESH_MS: intFromEnv(2_000, 100),
  /** With HERALD_PUBLIC_URL, enables Twilio delivery receipts on /v1/providers/twilio/status. */
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  HERALD_PUBLIC_URL: z.url().optional(),
  /** Local mode: http and loopback URLs are accepted in callbackUrl, Slack webhooks and push endpoints. */
  HERALD_LOCAL_MODE: z.enum(['true', 'false']).default('false'),
  /** A name lookup for a client-named URL gives up after this (the URL is then let through). */
  HERALD_DNS_TIMEOUT_MS: intFromEnv(2_000, 100, 30_000),
  /** URL checks (name lookups) one client may have in flight per api instance; more get 429. */
  HERALD_URL_CHECKS_PER_CLIENT: intFromEnv(8, 1, 1_000),
  /** Per client and api instance, on POST /v1/notifications; 0 in either disables the limit. */
  HERALD_RATE_LIMIT_PER_SECOND: intFromEnv(100, 0),
  HERALD_RATE_LIMIT_BURST: intFromEnv(200, 0),
  /** Per client and api instance, on GET /v1/notifications[/:id]; 0 in either disables the limit. */
  HERALD_READ_RATE_LIMIT_PER_SECOND: intFromEnv(100, 0),
  HERALD_READ_RATE_LIMIT_BURST: intFromEnv(200, 0),
  /** Concurrent long-polls (`?waitSeconds=`) per client and api instance; 0 disables the cap. */
  HERALD_LONG_POLLS_PER_CLIENT: intFromEnv(20, 0),
  /**
   * SMS/WhatsApp messages one client may send to one number per window and api instance (a
   * client's settings can override it); 0 in either disables the cap.
   */
  HERALD_RECIPIENT_CAP: intFromEnv(10, 0),
  HERALD_RECIPIENT_CAP_WINDOW_SECONDS: intFromEnv(3600, 0),
  /** The same across all clients together; default 10 × HERALD_RECIPIENT_CAP. */
  HERALD_RECIPIENT_CAP_ALL_CLIENTS: z.coerce.number().int().min(1).optional(),
  /** How long client settings (`herald client set`) are reused before they are read again. */
  HERALD_CLIENT_SETTINGS_CACHE_SECONDS: intFromEnv(30, 0, 30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

/** Parses the api's environment once, listing every problem; throws `CONFIG_INVALID`. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiEnvSchema, env, 'api');
}
