import path from 'node:path';
import { parseEnv } from '@herald/aws';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

const localEnvSchema = z.object({
  HERALD_DATA_DIR: z.string().min(1).default('.data'),
  PORT: port(3000),
  HERALD_DYNAMODB_PORT: port(0),
  HERALD_SQS_PORT: port(0),
  HERALD_SMTP_PORT: port(0),
  /** Deliver email through a real SMTP server instead of the local sink. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//)
    .optional(),
  EMAIL_FROM: z.string().min(3).default('Herald <herald@localhost>'),
  /** How long the worker gets to finish in-flight sends on Ctrl-C before it is killed. */
  HERALD_LOCAL_STOP_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type LocalConfig = z.infer<typeof localEnvSchema> & { dataDir: string };

/** The local stack's settings; the data dir is made absolute so child processes agree on it. */
export function loadLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const config = parseEnv(localEnvSchema, env, 'local');
  return { ...config, dataDir: path.resolve(config.HERALD_DATA_DIR) };
}

/** What the running stack tells the CLI and tests, in `<data dir>/local.json`. */
export interface LocalStackInfo {
  apiUrl: string;
  region: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  smtpUrl: string;
  tableName: string;
  queueUrl: string;
  dlqUrl: string;
  keysDir: string;
  mailDir: string;
  /** Sandbox deliveries: `<channel>.jsonl` per channel without real credentials. */
  outboxDir: string;
  /** For browsers subscribing to web push (`applicationServerKey`). */
  vapidPublicKey: string;
  statusTopicArn: string;
  tokenIssuer: string;
  tokenAudience: string;
  pids: { stack: number; api?: number; worker?: number };
}
