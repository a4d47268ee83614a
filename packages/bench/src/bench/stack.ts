/**
 * Starts the local stack the benchmark measures: dynalite and fauxqs (each in its own process,
 * in memory), the table, queues and status topic, a client token, and the BUILT api and worker
 * (`tsc -b` first; `pnpm bench` does that) configured like local mode, with Slack delivery to
 * the bench sink. The one place the bench starts a stack.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runNode, type NodeProcess } from '@herald/local';
import { dist } from '../lib/paths';
import { startTracked } from '../lib/processes';
import { provisionHerald } from '../lib/provision';

/** dynalite and fauxqs, each in its own process, and their endpoints. */
export interface BenchEmulators {
  dynamodb: NodeProcess;
  sqs: NodeProcess;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}

/** A provisioned Herald: its token, resources, and the environment the api and worker share. */
export interface HeraldSetup {
  token: string;
  queueUrl: string;
  statusTopicArn: string;
  env: NodeJS.ProcessEnv;
}

/** A running api process and its base URL. */
export interface RunningApi {
  proc: NodeProcess;
  url: string;
}

/** dynalite and fauxqs, one process each so they can use both cores. */
export async function startEmulators(): Promise<BenchEmulators> {
  const start = async (only: 'dynamodb' | 'sqs') => {
    const proc = startTracked(`emulator-${only}`, dist('local', 'emulators-main.js'), {
      env: {
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        HERALD_DATA_DIR: '',
        HERALD_EMULATORS_ONLY: only,
      },
    });
    const ready = JSON.parse(await proc.waitForLine(/"ready":true/, 30_000)) as {
      dynamodbEndpoint: string;
      sqsEndpoint: string;
    };
    return { proc, ready };
  };
  const [dynamodb, sqs] = await Promise.all([start('dynamodb'), start('sqs')]);
  return {
    dynamodb: dynamodb.proc,
    sqs: sqs.proc,
    dynamodbEndpoint: dynamodb.ready.dynamodbEndpoint,
    sqsEndpoint: sqs.ready.sqsEndpoint,
  };
}

const cli = (args: string[], env: NodeJS.ProcessEnv) => runNode(dist('cli'), args, env);

/**
 * Table `name`, queue `<name>-queue` and the status topic, a signing key in `dir`/keys, and a
 * token whose client may use the configured webhook `bench`.
 */
export async function setUpHerald(options: {
  dir: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  name: string;
}): Promise<HeraldSetup> {
  const { dir, dynamodbEndpoint, sqsEndpoint, name } = options;
  const keysDir = path.join(dir, 'keys');
  const env: NodeJS.ProcessEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_DATA_DIR: dir,
    HERALD_KEYS_DIR: keysDir,
    HERALD_DYNAMODB_ENDPOINT: dynamodbEndpoint,
    HERALD_SQS_ENDPOINT: sqsEndpoint,
    HERALD_SNS_ENDPOINT: sqsEndpoint,
    HERALD_TABLE_NAME: name,
    HERALD_QUEUE_NAME: `${name}-queue`,
  };
  const resources = await provisionHerald({
    dynamodbEndpoint,
    sqsEndpoint,
    tableName: name,
    queueName: `${name}-queue`,
    keysDir,
  });
  const scope = 'notifications:send,notifications:read';
  const issued = await cli(
    ['token', 'issue', '--client', 'bench', '--scope', scope, '--ttl', '12h'],
    env,
  );
  // The load goes to the configured webhook `bench`, which a client may use only when allowed.
  await cli(['client', 'set', 'bench', '--allow-slack-webhooks', 'bench'], env);
  return {
    token: issued.stdout.trim(),
    queueUrl: resources.queueUrl,
    statusTopicArn: resources.statusTopicArn,
    env: {
      ...env,
      HERALD_QUEUE_URL: resources.queueUrl,
      HERALD_STATUS_TOPIC_ARN: resources.statusTopicArn,
      HERALD_CALLBACK_QUEUE_URL: resources.callbackQueueUrl,
      HERALD_CALLBACK_SECRET: randomBytes(32).toString('hex'),
      HERALD_JWKS: resources.jwks,
      HERALD_LOCAL_MODE: 'true',
      // One client sends all the load: its rate limits must not be what is measured (sends,
      // status reads, and the long-poll phase's connections, all this one client's).
      HERALD_RATE_LIMIT_PER_SECOND: '1000000',
      HERALD_RATE_LIMIT_BURST: '1000000',
      HERALD_READ_RATE_LIMIT_PER_SECOND: '1000000',
      HERALD_READ_RATE_LIMIT_BURST: '1000000',
      HERALD_LONG_POLLS_PER_CLIENT: '1000000',
      // Phases purge the queue between runs; the sweeper must not bring those notifications back
      // into a later phase. It still runs its periodic scan, as in production.
      HERALD_SWEEP_AFTER_SECONDS: '3600',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    },
  };
}

/** The api with `env` (and node flags `execArgv`), once it listens. */
export async function startApi(
  env: NodeJS.ProcessEnv,
  execArgv: readonly string[] = [],
): Promise<RunningApi> {
  const proc = startTracked('api', dist('api'), { env, execArgv });
  const listening = JSON.parse(await proc.waitForLine(/herald api listening/)) as { port: number };
  return { proc, url: `http://127.0.0.1:${listening.port}` };
}

/** The Herald worker delivering Slack messages to the sink as the configured webhook `bench`. */
export async function startWorker(
  env: NodeJS.ProcessEnv,
  sinkUrl: string,
  extra: NodeJS.ProcessEnv = {},
  execArgv: readonly string[] = [],
): Promise<NodeProcess> {
  const worker = startTracked('worker', dist('worker'), {
    env: { ...env, SLACK_WEBHOOKS: JSON.stringify({ bench: sinkUrl }), ...extra },
    execArgv,
  });
  await worker.waitForLine(/herald worker started/);
  return worker;
}
