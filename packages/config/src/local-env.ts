import { z } from 'zod';
import { DEFAULT_DATA_DIR } from './defaults';
import { intFromEnv, logLevelSchema } from './parse-env';
import { apiPortSchema, publicUrlSchema } from './shared-env';
import { smtpUrlSchema } from './worker-channels-env';

const port = (fallback: number, description: string) =>
  intFromEnv(fallback, 0, 65_535).describe(description);

/** HERALD_DATA_DIR, shared by the local stack and the CLI (which finds `local.json` in it). */
export const dataDirSchema = z
  .string()
  .min(1)
  .default(DEFAULT_DATA_DIR)
  .describe('local data: DynamoDB files, keys, mail, outbox, `local.json`');

/** The environment of `pnpm start`, the local stack launcher (`packages/local`). */
export const localEnvSchema = z.object({
  HERALD_DATA_DIR: dataDirSchema,
  PORT: apiPortSchema,
  HERALD_DYNAMODB_PORT: port(0, 'fix the DynamoDB emulator port; `0`: a free port'),
  HERALD_SQS_PORT: port(0, 'fix the SQS / SNS emulator port; `0`: a free port'),
  HERALD_SMTP_PORT: port(0, 'fix the mail sink port; `0`: a free port'),
  SMTP_URL: smtpUrlSchema
    .optional()
    .describe('deliver email through this SMTP server instead of the local mail sink'),
  EMAIL_FROM: z.string().min(3).default('Herald <herald@localhost>').describe('the local sender'),
  HERALD_LOCAL_STOP_GRACE_MS: intFromEnv(30_000, 0).describe(
    'how long the worker gets to finish in-flight sends on Ctrl-C before it is killed',
  ),
  HERALD_PUBLIC_URL: publicUrlSchema,
  LOG_LEVEL: logLevelSchema,
});

/** The local stack's settings, parsed. */
export type LocalEnv = z.infer<typeof localEnvSchema>;
