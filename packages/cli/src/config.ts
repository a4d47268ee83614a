import { join, resolve } from 'node:path';
import { keyFilePaths } from '@herald/auth';
import type { PrivateKeySource } from '@herald/auth';
import {
  cliEnvSchema,
  DEFAULT_AWS_REGION,
  DEFAULT_AUDIENCE_TABLE_NAME,
  DEFAULT_TABLE_NAME,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  parseEnv,
} from '@herald/config';
import { AppError } from '@herald/core';
import { readLocalInfo } from './local-info';

/** The environment, as the CLI sees it; tests pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** How to reach DynamoDB (for `token revoke`). */
export interface AwsSettings {
  region: string;
  dynamodbEndpoint?: string;
  sqsEndpoint?: string;
  snsEndpoint?: string;
  /** The work queue `setup` creates (its DLQ is `<name>-dlq`). */
  queueName: string;
  /** The work queue's URL, when known (HERALD_QUEUE_URL, or the local stack's); wins over the name. */
  queueUrl?: string;
  /** Its DLQ's URL, when known (HERALD_DLQ_URL, or the local stack's); else from the redrive policy. */
  dlqUrl?: string;
  /** Set in local mode only; otherwise the SDK's default credential chain applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
  /** The audience table (recipients, devices) `setup` creates. */
  audienceTableName: string;
}

/** Everything the commands need to know about their surroundings. */
export interface CliConfig {
  /** Relative paths given on the command line are resolved against this. */
  cwd: string;
  dataDir: string;
  /** True when `<dataDir>/local.json` exists, i.e. the local stack is running. */
  localMode: boolean;
  apiUrl?: string;
  token?: string;
  keysDir: string;
  signingKey: PrivateKeySource;
  /** The master secret callback signing secrets derive from (env, else the local stack's file). */
  callbackSecret: { value?: string; path: string };
  tokenIssuer: string;
  tokenAudience: string;
  aws: AwsSettings;
}

/**
 * Builds the CLI configuration from the environment, read through its schema (`cliEnvSchema`),
 * with the running local stack's `local.json` as defaults. The only place that reads environment
 * variables; an empty variable counts as unset. Throws AppError `CONFIG_INVALID` listing every
 * malformed variable, for a malformed `local.json`, or for an API URL that is not http(s).
 */
export async function loadCliConfig(
  env: Env = process.env,
  cwd: string = process.cwd(),
): Promise<CliConfig> {
  const vars = parseEnv(
    cliEnvSchema,
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
    'cli',
  );
  const dataDir = resolve(cwd, vars.HERALD_DATA_DIR);
  const local = await readLocalInfo(join(dataDir, 'local.json'));
  const keysDir = resolve(cwd, vars.HERALD_KEYS_DIR ?? local?.keysDir ?? join(dataDir, 'keys'));
  const apiUrl = vars.HERALD_API_URL ?? local?.apiUrl;
  if (apiUrl !== undefined) checkHttpUrl(apiUrl);
  // Emulators accept any credentials but the SDK insists on some; real keys still win.
  const credentials =
    local !== undefined && vars.AWS_ACCESS_KEY_ID === undefined
      ? { accessKeyId: 'local', secretAccessKey: 'local' }
      : undefined;
  return {
    cwd,
    dataDir,
    localMode: local !== undefined,
    apiUrl,
    token: vars.HERALD_TOKEN,
    keysDir,
    signingKey: { json: vars.HERALD_SIGNING_KEY, path: keyFilePaths(keysDir).signingKey },
    callbackSecret: {
      value: vars.HERALD_CALLBACK_SECRET,
      path: join(keysDir, 'callback-secret'),
    },
    tokenIssuer: vars.HERALD_TOKEN_ISSUER ?? local?.tokenIssuer ?? DEFAULT_TOKEN_ISSUER,
    tokenAudience: vars.HERALD_TOKEN_AUDIENCE ?? local?.tokenAudience ?? DEFAULT_TOKEN_AUDIENCE,
    aws: {
      region: vars.AWS_REGION ?? local?.region ?? DEFAULT_AWS_REGION,
      dynamodbEndpoint: vars.HERALD_DYNAMODB_ENDPOINT ?? local?.dynamodbEndpoint,
      sqsEndpoint: vars.HERALD_SQS_ENDPOINT ?? local?.sqsEndpoint,
      snsEndpoint: vars.HERALD_SNS_ENDPOINT,
      queueName: vars.HERALD_QUEUE_NAME,
      queueUrl: vars.HERALD_QUEUE_URL ?? local?.queueUrl,
      dlqUrl: vars.HERALD_DLQ_URL ?? local?.dlqUrl,
      credentials,
      tableName: vars.HERALD_TABLE_NAME ?? local?.tableName ?? DEFAULT_TABLE_NAME,
      audienceTableName:
        vars.HERALD_AUDIENCE_TABLE_NAME ?? local?.audienceTableName ?? DEFAULT_AUDIENCE_TABLE_NAME,
    },
  };
}

function checkHttpUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new AppError('CONFIG_INVALID', `the API URL '${url}' is not an http(s) URL`);
  }
}
