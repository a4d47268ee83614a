import path from 'node:path';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local-aws';
import type { EmulatorEndpoints } from '@herald/emulators';
import type { StackResources } from './stack-resources';
import type { StackKeys } from './stack-keys';

/** What the stack knows once its emulators, resources and keys exist. */
export interface StackFacts {
  emulators: EmulatorEndpoints;
  resources: StackResources;
  keys: StackKeys;
  dataDir: string;
  statusEvents: boolean;
  localMode: boolean;
  smtpUrl?: string;
  /** Known up front with `publicUrl`. */
  publicUrl?: string;
  /** The api's port: 0 lets it pick one. */
  port: number;
}

/** The environment, split by who gets it; callers' extra env is laid over it. */
export interface StackEnv {
  /** The api, the worker and the CLI. */
  shared: NodeJS.ProcessEnv;
  api: NodeJS.ProcessEnv;
  worker: NodeJS.ProcessEnv;
}

/**
 * The one place the stack's environment is written: AWS settings and emulator endpoints, the
 * resources, the keys and token checks, local mode, mail. Adding a variable is one edit here.
 */
export function buildStackEnv(facts: StackFacts): StackEnv {
  const { emulators, resources, keys } = facts;
  const shared: NodeJS.ProcessEnv = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_DATA_DIR: facts.dataDir,
    HERALD_KEYS_DIR: keys.keysDir,
    HERALD_DYNAMODB_ENDPOINT: emulators.dynamodbEndpoint,
    HERALD_SQS_ENDPOINT: emulators.sqsEndpoint,
    HERALD_TABLE_NAME: resources.tableName,
    HERALD_AUDIENCE_TABLE_NAME: resources.audienceTableName,
    HERALD_QUEUE_NAME: resources.queueName,
    HERALD_QUEUE_URL: resources.queueUrl,
    HERALD_JWKS: keys.jwksPath,
    HERALD_TOKEN_ISSUER: keys.issuer,
    HERALD_TOKEN_AUDIENCE: keys.audience,
    // Unsubscribe links: signed by the worker, checked by the api (headers need a public URL too).
    HERALD_LINK_SECRET: keys.linkSecret,
    HOST: '127.0.0.1',
  };
  const api: NodeJS.ProcessEnv = { PORT: String(facts.port) };
  // Only the worker enqueues on the bulk queue (topic children) and consumes it.
  const worker: NodeJS.ProcessEnv = { HERALD_BULK_QUEUE_URL: resources.bulkQueueUrl };
  if (facts.smtpUrl !== undefined) shared.SMTP_URL = facts.smtpUrl;
  if (facts.publicUrl !== undefined) shared.HERALD_PUBLIC_URL = facts.publicUrl;
  if (facts.statusEvents && resources.statusTopicArn !== undefined) {
    // fauxqs serves SNS on its SQS port.
    shared.HERALD_SNS_ENDPOINT = emulators.sqsEndpoint;
    shared.HERALD_STATUS_TOPIC_ARN = resources.statusTopicArn;
    if (resources.callbackQueueUrl !== undefined) {
      worker.HERALD_CALLBACK_QUEUE_URL = resources.callbackQueueUrl;
      worker.HERALD_CALLBACK_SECRET = keys.callbackSecret;
    }
  }
  if (facts.localMode) {
    // Channels without credentials go to the sandbox outbox, and loopback/http targets
    // (callbacks, webhooks, test push services) are allowed.
    shared.HERALD_LOCAL_MODE = 'true';
    shared.HERALD_ALLOW_SANDBOX = 'true';
    shared.HERALD_SANDBOX_DIR = path.join(facts.dataDir, 'outbox');
    shared.VAPID_PUBLIC_KEY = keys.vapid.publicKey;
    shared.VAPID_PRIVATE_KEY = keys.vapid.privateKey;
  }
  return { shared, api, worker };
}
