import { awsEnvSchema, intFromEnv, parseEnv } from '@herald/aws';
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
    WORKER_CONCURRENCY: intFromEnv(32, 1, 1_000),
    HERALD_VISIBILITY_TIMEOUT_SECONDS: intFromEnv(30, 5, 43_200),
    HERALD_SEND_TIMEOUT_MS: intFromEnv(20_000, 100),
    HERALD_MAX_ATTEMPTS: intFromEnv(8, 1, 100),
    HERALD_RETRY_BASE_MS: intFromEnv(2_000, 10),
    HERALD_RETRY_MAX_MS: intFromEnv(300_000, 10),
    HERALD_SWEEP_INTERVAL_MS: intFromEnv(10_000, 100),
    HERALD_SWEEP_AFTER_SECONDS: intFromEnv(60, 1),
    HERALD_SHUTDOWN_GRACE_MS: intFromEnv(25_000, 0),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .refine((c) => c.SMTP_URL === undefined || c.EMAIL_FROM !== undefined, {
    message: 'EMAIL_FROM is required when SMTP_URL is set',
    path: ['EMAIL_FROM'],
  });

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

/** Parses the worker's environment once, listing every problem; throws `CONFIG_INVALID`. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, env, 'worker');
}

/** `Herald <noreply@example.com>` → `example.com`. */
export function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match?.[1] ?? 'herald.local';
}
