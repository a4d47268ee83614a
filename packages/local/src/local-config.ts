import path from 'node:path';
import { localEnvSchema, parseEnv, type LocalEnv } from '@herald/config';

export type LocalConfig = LocalEnv & { dataDir: string };

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
  audienceTableName: string;
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
