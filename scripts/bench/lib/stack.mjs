/**
 * Starts the local stack the benchmark measures: dynalite and fauxqs (each in its own process,
 * in memory), `herald setup` for the table, queues and status topic, a client token, and the
 * BUILT api and worker (`tsc -b` first; `pnpm bench` does that) configured like local mode,
 * with Slack delivery to the bench sink.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode, startNode } from '../../lib/processes.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const dist = (pkg, file = 'main.js') => path.join(REPO, 'packages', pkg, 'dist', file);

/** dynalite and fauxqs, one process each so they can use both cores. */
export async function startEmulators() {
  const start = async (only) => {
    const proc = startNode(`emulator-${only}`, dist('local', 'emulators-main.js'), [], {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      HERALD_DATA_DIR: '',
      HERALD_EMULATORS_ONLY: only,
    });
    return { proc, ready: JSON.parse(await proc.waitForLine(/"ready":true/, 30_000)) };
  };
  const [dynamodb, sqs] = await Promise.all([start('dynamodb'), start('sqs')]);
  return {
    dynamodb: dynamodb.proc,
    sqs: sqs.proc,
    dynamodbEndpoint: dynamodb.ready.dynamodbEndpoint,
    sqsEndpoint: sqs.ready.sqsEndpoint,
  };
}

/** `herald setup` + a token (its client allowed the `bench` webhook); returns the environment the api and worker share. */
export async function setUpHerald({ dir, dynamodbEndpoint, sqsEndpoint, name }) {
  const keysDir = path.join(dir, 'keys');
  const env = {
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
  const out = await runNode(dist('cli'), ['setup'], env);
  const field = (label) => {
    const value = new RegExp(`^${label} (\\S+)`, 'm').exec(out)?.[1];
    if (!value) throw new Error(`herald setup printed no ${label}:\n${out}`);
    return value;
  };
  const token = (
    await runNode(
      dist('cli'),
      [
        'token',
        'issue',
        '--client',
        'bench',
        '--scope',
        'notifications:send,notifications:read',
        '--ttl',
        '12h',
      ],
      env,
    )
  ).trim();
  // The load goes to the configured webhook `bench`, which a client may use only when allowed.
  await runNode(dist('cli'), ['client', 'set', 'bench', '--allow-slack-webhooks', 'bench'], env);
  return {
    token,
    queueUrl: field('queue'),
    statusTopicArn: field('status topic'),
    env: {
      ...env,
      HERALD_QUEUE_URL: field('queue'),
      HERALD_STATUS_TOPIC_ARN: field('status topic'),
      HERALD_CALLBACK_QUEUE_URL: field('callback queue'),
      HERALD_CALLBACK_SECRET: randomBytes(32).toString('hex'),
      HERALD_JWKS: field('jwks'),
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

export async function startApi(env, execArgv = []) {
  const api = startNode('api', dist('api'), [], env, { execArgv });
  const listening = JSON.parse(await api.waitForLine(/herald api listening/));
  return { proc: api, url: `http://127.0.0.1:${listening.port}` };
}

/** The Herald worker delivering Slack messages to the sink as the configured webhook `bench`. */
export async function startWorker(env, sinkUrl, extra = {}, execArgv = []) {
  const worker = startNode(
    'worker',
    dist('worker'),
    [],
    { ...env, SLACK_WEBHOOKS: JSON.stringify({ bench: sinkUrl }), ...extra },
    { execArgv },
  );
  await worker.waitForLine(/herald worker started/);
  return worker;
}
