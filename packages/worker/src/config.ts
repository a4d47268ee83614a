import { applyRenamedEnv, awsEnvSchema, intFromEnv, parseEnv } from '@herald/aws';
import { z } from 'zod';

const workerEnvSchema = awsEnvSchema
  .extend({
    /** Email is delivered through this SMTP server; without it, email ends `channel_not_configured`. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    SMTP_MAX_CONNECTIONS: intFromEnv(5, 1, 100),
    EMAIL_FROM: z.string().min(3).optional(),
    /** Right-hand side of Message-IDs; defaults to the domain of EMAIL_FROM. */
    HERALD_MESSAGE_ID_DOMAIN: z.string().min(1).optional(),
    HERALD_RECEIPT_ADDRESS: z.email().optional(),
    HERALD_WORKER_ID: z.string().min(1).max(128).optional(),
    // Twilio (SMS and WhatsApp)
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC\w{32}$/, 'must be a Twilio Account SID (AC…)')
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_FROM: z.string().min(1).optional(),
    TWILIO_WHATSAPP_FROM: z.string().min(1).optional(),
    TWILIO_MESSAGING_SERVICE_SID: z
      .string()
      .regex(/^MG\w{32}$/, 'must be a Messaging Service SID (MG…)')
      .optional(),
    TWILIO_API_BASE_URL: z.url().optional(),
    /** Public base URL of the api: enables Twilio delivery receipts (StatusCallback). */
    HERALD_PUBLIC_URL: z.url().optional(),
    HERALD_RECEIPT_TIMEOUT_SECONDS: intFromEnv(86_400, 1),
    // Web Push (VAPID)
    VAPID_PUBLIC_KEY: z.string().min(1).optional(),
    VAPID_PRIVATE_KEY: z.string().min(1).optional(),
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL')
      .default('mailto:herald@localhost'),
    /** Extra CA certificate (PEM file) trusted for push services: private or test push services only. */
    HERALD_WEB_PUSH_CA_FILE: z.string().min(1).optional(),
    // Amazon SNS mobile push
    HERALD_SNS_PUSH: z.enum(['true', 'false']).default('false'),
    HERALD_APNS_SANDBOX: z.enum(['true', 'false']).default('false'),
    // Slack: a JSON object of configured webhook names → URLs, each usable only by the clients
    // whose settings allow it (`herald client set <id> --allow-slack-webhooks name`)
    SLACK_WEBHOOKS: z.string().optional(),
    /** How long client settings (allowed webhook names) are reused before they are read again. */
    HERALD_CLIENT_SETTINGS_CACHE_SECONDS: intFromEnv(30, 0, 30),
    // Routing: an ordered provider list per channel (failover order)
    HERALD_ROUTE_EMAIL: z.string().optional(),
    HERALD_ROUTE_SMS: z.string().optional(),
    HERALD_ROUTE_WHATSAPP: z.string().optional(),
    HERALD_ROUTE_PUSH: z.string().optional(),
    HERALD_ROUTE_SLACK: z.string().optional(),
    /** Routing to `sandbox` is refused unless this is true (local mode and staging). */
    HERALD_ALLOW_SANDBOX: z.enum(['true', 'false']).default('false'),
    HERALD_SANDBOX_DIR: z.string().min(1).default('.data/outbox'),
    /** Local mode: loopback and http URLs are allowed for callbacks, webhooks and push services. */
    HERALD_LOCAL_MODE: z.enum(['true', 'false']).default('false'),
    /** A name lookup for a client-named URL (push endpoint, webhook, callback) gives up after this. */
    HERALD_DNS_TIMEOUT_MS: intFromEnv(2_000, 100, 30_000),
    /** Pacing per provider, messages per second: `twilio=1,sns=100`. */
    HERALD_PACING: z.string().optional(),
    /** A paced send waits in-process up to this long; a longer wait hands the notification back. */
    HERALD_MAX_PACING_WAIT_MS: intFromEnv(2_000, 0, 60_000),
    /** The queue subscribed to the status topic for callbacks; enables the callback dispatcher. */
    HERALD_CALLBACK_QUEUE_URL: z.url().optional(),
    /** Master secret from which each client's callback signing secret is derived. */
    HERALD_CALLBACK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    HERALD_CALLBACK_MAX_ATTEMPTS: intFromEnv(8, 1, 50),
    HERALD_CIRCUIT_FAILURES: intFromEnv(5, 1),
    HERALD_CIRCUIT_COOLDOWN_MS: intFromEnv(30_000, 100),
    HERALD_WORKER_CONCURRENCY: intFromEnv(32, 1, 1_000),
    /**
     * After a receive that came back less than full, wait this long before the next one so that
     * a trickle of messages shares receives; a full receive is followed at once. Off by default:
     * SQS can answer short while messages wait (it samples its servers), and then the pause
     * slows a backlog's drain; and it adds up to this much to a hand-off.
     */
    HERALD_RECEIVE_LINGER_MS: intFromEnv(0, 0, 1_000),
    HERALD_VISIBILITY_TIMEOUT_SECONDS: intFromEnv(30, 5, 43_200),
    /** The work queue's maxReceiveCount (its redrive policy); `herald setup` uses 10 too. */
    HERALD_MAX_RECEIVE_COUNT: intFromEnv(10, 1, 1_000),
    /** How long a message whose processing threw stays hidden before it is tried again. */
    HERALD_PROCESSING_RETRY_SECONDS: intFromEnv(5, 0, 43_200),
    HERALD_SEND_TIMEOUT_MS: intFromEnv(20_000, 100),
    HERALD_MAX_ATTEMPTS: intFromEnv(8, 1, 100),
    HERALD_RETRY_BASE_MS: intFromEnv(2_000, 10),
    HERALD_RETRY_MAX_MS: intFromEnv(300_000, 10),
    HERALD_SWEEP_INTERVAL_MS: intFromEnv(10_000, 100),
    HERALD_SWEEP_AFTER_SECONDS: intFromEnv(60, 1),
    HERALD_SHUTDOWN_GRACE_MS: intFromEnv(25_000, 0),
    /** Old-generation growth past the live heap before a full GC, in percent; 0 = V8's own. */
    HERALD_WORKER_HEAP_GROWTH_PERCENT: intFromEnv(100, 0, 1_000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .refine(
    (c) => c.HERALD_CALLBACK_QUEUE_URL === undefined || c.HERALD_CALLBACK_SECRET !== undefined,
    {
      message: 'HERALD_CALLBACK_SECRET is required when HERALD_CALLBACK_QUEUE_URL is set',
      path: ['HERALD_CALLBACK_SECRET'],
    },
  )
  .refine((c) => c.SMTP_URL === undefined || c.EMAIL_FROM !== undefined, {
    message: 'EMAIL_FROM is required when SMTP_URL is set',
    path: ['EMAIL_FROM'],
  });

/** Variables renamed since a release, old name → new name; the old name keeps working. */
export const WORKER_RENAMED_ENV: Readonly<Record<string, string>> = {
  WORKER_CONCURRENCY: 'HERALD_WORKER_CONCURRENCY',
};

export type WorkerConfig = z.infer<typeof workerEnvSchema> & {
  /** Old variable names still in use (see WORKER_RENAMED_ENV); main.ts logs them at start. */
  configWarnings: string[];
};

/** Parses the worker's environment once, listing every problem; throws `CONFIG_INVALID`. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const renamed = applyRenamedEnv(env, WORKER_RENAMED_ENV);
  return { ...parseEnv(workerEnvSchema, renamed.env, 'worker'), configWarnings: renamed.warnings };
}

/** `Herald <noreply@example.com>` → `example.com`. */
export function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match?.[1] ?? 'herald.local';
}
