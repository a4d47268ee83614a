import path from 'node:path';
import { runNode, type NodeProcess } from '@herald/local';
import { dist } from '../lib/paths';
import { startTracked } from '../lib/processes';
import { provisionHerald } from '../lib/provision';

/** How to start the soak's stack. */
export interface SoakStackOptions {
  /** The run's temporary directory (keys, and the emulators' data with `persist`). */
  dir: string;
  /** Emulators keep their data on disk instead of in memory. */
  persist: boolean;
  smtpPort: number;
}

/** The running soak stack: processes, the api's URL and a token for it. */
export interface SoakStack {
  emulators: NodeProcess;
  api: NodeProcess;
  apiUrl: string;
  token: string;
  /** The environment every worker generation starts with. */
  workerEnv: NodeJS.ProcessEnv;
}

/**
 * The soak's stack, started the one way the soak needs it: both emulators in one process, the
 * table and queues provisioned, a token, and the BUILT api (`tsc -b` first) with fast sweeps and
 * retries and email to the counting SMTP server. Workers are started by the caller, from
 * `workerEnv`, because the soak kills and restarts them.
 */
export async function startSoakStack(options: SoakStackOptions): Promise<SoakStack> {
  const { dir } = options;
  const emulators = startTracked('emulators', dist('local', 'emulators-main.js'), {
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      HERALD_DATA_DIR: options.persist ? path.join(dir, 'emulators') : '',
      HERALD_DYNAMODB_PORT: '0',
      HERALD_SQS_PORT: '0',
      HERALD_EMULATORS_ONLY: '',
    },
  });
  const ready = JSON.parse(await emulators.waitForLine(/"ready":true/, 30_000)) as {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
  };

  const keysDir = path.join(dir, 'keys');
  const env: NodeJS.ProcessEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_DATA_DIR: dir,
    HERALD_KEYS_DIR: keysDir,
    HERALD_DYNAMODB_ENDPOINT: ready.dynamodbEndpoint,
    HERALD_SQS_ENDPOINT: ready.sqsEndpoint,
    HERALD_SNS_ENDPOINT: ready.sqsEndpoint,
    HERALD_TABLE_NAME: 'soak',
    HERALD_QUEUE_NAME: 'soak-queue',
  };
  const resources = await provisionHerald({
    dynamodbEndpoint: ready.dynamodbEndpoint,
    sqsEndpoint: ready.sqsEndpoint,
    tableName: 'soak',
    queueName: 'soak-queue',
    keysDir,
  });
  env.HERALD_QUEUE_URL = resources.queueUrl;
  const issued = await runNode(
    dist('cli'),
    [
      'token',
      'issue',
      '--client',
      'soak',
      '--scope',
      'notifications:send,notifications:read',
      '--ttl',
      '12h',
    ],
    env,
  );
  const token = issued.stdout.trim();

  const procEnv: NodeJS.ProcessEnv = {
    ...env,
    HERALD_JWKS: resources.jwks,
    HERALD_SWEEP_AFTER_SECONDS: '5',
    HERALD_SWEEP_INTERVAL_MS: '1000',
    HERALD_REVOCATION_REFRESH_MS: '2000',
    SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
    EMAIL_FROM: 'Herald <noreply@herald.test>',
    HERALD_SEND_TIMEOUT_MS: '3000',
    HERALD_RETRY_BASE_MS: '200',
    HERALD_RETRY_MAX_MS: '1000',
    HERALD_SHUTDOWN_GRACE_MS: '5000',
    // One client drains with 50 long-polls and re-reads every id: the per-client read limits
    // must not be what is measured (a 429 would leave an id unchecked).
    HERALD_READ_RATE_LIMIT_PER_SECOND: '1000000',
    HERALD_READ_RATE_LIMIT_BURST: '1000000',
    HERALD_LONG_POLLS_PER_CLIENT: '1000000',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const api = startTracked('api', dist('api'), { env: procEnv });
  const listening = JSON.parse(await api.waitForLine(/herald api listening/)) as { port: number };
  const apiUrl = `http://127.0.0.1:${listening.port}`;
  return { emulators, api, apiUrl, token, workerEnv: { ...procEnv, HERALD_API_URL: apiUrl } };
}
