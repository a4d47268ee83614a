import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureHeraldResources } from '@herald/aws';
import { ensureSigningKey, issueToken, loadPrivateJwk, keyFilePaths } from '@herald/auth';
import {
  DEFAULT_QUEUE_NAME as QUEUE,
  DEFAULT_TABLE_NAME as TABLE,
  DEFAULT_TOKEN_AUDIENCE as AUDIENCE,
  DEFAULT_TOKEN_ISSUER as ISSUER,
} from '@herald/config';
import { pino } from 'pino';
import { supervise, type SupervisedProcess } from './child-process';
import { startEmulators } from './emulators';
import { LOCAL_CREDENTIALS, LOCAL_REGION, createLocalAwsClients } from './local-aws';
import { loadLocalConfig, type LocalStackInfo } from './local-config';
import { ensureLocalSecrets } from './local-secrets';
import { formatLogLine } from './log-line';
import { startSmtpSink } from './smtp-sink';
import { waitForHttp } from './wait-for-http';

const PACKAGES = path.resolve(__dirname, '../..');

/**
 * `pnpm start`: the whole of Herald on one machine with nothing but Node. Emulators and the mail
 * sink run in this process; the api and the worker run as their own processes, exactly as they
 * would anywhere else, configured through the environment.
 */
async function main(): Promise<void> {
  const config = loadLocalConfig();
  // A terminal, not a log pipeline, reads this process: its own lines are readable like its children's.
  const logger = pino(
    { level: config.LOG_LEVEL, base: { service: 'herald-local' } },
    {
      write: (line: string) => process.stdout.write(`${formatLogLine('local', line.trimEnd())}\n`),
    },
  );
  const dirs = { keys: path.join(config.dataDir, 'keys'), mail: path.join(config.dataDir, 'mail') };
  await mkdir(config.dataDir, { recursive: true });

  const emulators = await startEmulators({
    dataDir: config.dataDir,
    dynamodbPort: config.HERALD_DYNAMODB_PORT,
    sqsPort: config.HERALD_SQS_PORT,
  });
  const sink = config.SMTP_URL
    ? undefined
    : await startSmtpSink({ dir: dirs.mail, port: config.HERALD_SMTP_PORT, logger });
  const smtpUrl = config.SMTP_URL ?? sink?.url ?? '';
  const aws = createLocalAwsClients(emulators);
  const resources = await ensureHeraldResources({
    dynamodb: aws.dynamodb,
    sqs: aws.sqs,
    sns: aws.sns,
    tableName: TABLE,
    queueName: QUEUE,
  });
  const { queueUrl, dlqUrl } = resources;
  const secrets = await ensureLocalSecrets(dirs.keys);
  await ensureSigningKey(dirs.keys);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_DYNAMODB_ENDPOINT: emulators.dynamodbEndpoint,
    HERALD_SQS_ENDPOINT: emulators.sqsEndpoint,
    HERALD_SNS_ENDPOINT: emulators.sqsEndpoint,
    HERALD_STATUS_TOPIC_ARN: resources.statusTopicArn,
    HERALD_CALLBACK_QUEUE_URL: resources.callbackQueueUrl,
    HERALD_CALLBACK_SECRET: secrets.callbackSecret,
    VAPID_PUBLIC_KEY: secrets.vapid.publicKey,
    VAPID_PRIVATE_KEY: secrets.vapid.privateKey,
    // Local mode: channels without credentials go to the sandbox outbox, and loopback/http
    // targets (callbacks, webhooks, test push services) are allowed.
    HERALD_LOCAL_MODE: 'true',
    HERALD_ALLOW_SANDBOX: 'true',
    HERALD_SANDBOX_DIR: path.join(config.dataDir, 'outbox'),
    HERALD_TABLE_NAME: TABLE,
    HERALD_QUEUE_URL: queueUrl,
    HERALD_JWKS: keyFilePaths(dirs.keys).jwks,
    HERALD_TOKEN_ISSUER: ISSUER,
    HERALD_TOKEN_AUDIENCE: AUDIENCE,
    // Local mode re-enqueues lost messages quickly: fauxqs forgets its queues on every restart.
    HERALD_SWEEP_AFTER_SECONDS: process.env.HERALD_SWEEP_AFTER_SECONDS ?? '10',
    HERALD_SWEEP_INTERVAL_MS: process.env.HERALD_SWEEP_INTERVAL_MS ?? '2000',
    PORT: String(config.PORT),
    HOST: '127.0.0.1',
    SMTP_URL: smtpUrl,
    EMAIL_FROM: config.EMAIL_FROM,
    LOG_LEVEL: config.LOG_LEVEL,
  };
  const api = supervise('api', path.join(PACKAGES, 'api/dist/main.js'), env, logger);
  const worker = supervise('worker', path.join(PACKAGES, 'worker/dist/main.js'), env, logger);
  const apiUrl = `http://127.0.0.1:${config.PORT}`;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the local stack');
    await Promise.all([api.stop(10_000), worker.stop(config.HERALD_LOCAL_STOP_GRACE_MS)]);
    await rm(path.join(config.dataDir, 'local.json'), { force: true });
    await sink?.close();
    await emulators.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await waitForHttp(`${apiUrl}/readyz`, 30_000);
  const info: LocalStackInfo = {
    apiUrl,
    region: LOCAL_REGION,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    sqsEndpoint: emulators.sqsEndpoint,
    smtpUrl,
    tableName: TABLE,
    queueUrl,
    dlqUrl,
    keysDir: dirs.keys,
    mailDir: dirs.mail,
    outboxDir: path.join(config.dataDir, 'outbox'),
    vapidPublicKey: secrets.vapid.publicKey,
    statusTopicArn: resources.statusTopicArn,
    tokenIssuer: ISSUER,
    tokenAudience: AUDIENCE,
    pids: pidsOf(api, worker),
  };
  await writeFile(path.join(config.dataDir, 'local.json'), `${JSON.stringify(info, null, 2)}\n`);
  const devToken = await issueToken({
    privateJwk: await loadPrivateJwk({ path: keyFilePaths(dirs.keys).signingKey }),
    clientId: 'local-dev',
    scopes: ['notifications:send', 'notifications:read'],
    ttlSeconds: 30 * 24 * 3600,
    issuer: ISSUER,
    audience: AUDIENCE,
  });
  printBanner(info, devToken.token, Boolean(sink));
}

function pidsOf(api: SupervisedProcess, worker: SupervisedProcess): LocalStackInfo['pids'] {
  const pids: LocalStackInfo['pids'] = { stack: process.pid };
  const apiPid = api.pid();
  const workerPid = worker.pid();
  if (apiPid !== undefined) pids.api = apiPid;
  if (workerPid !== undefined) pids.worker = workerPid;
  return pids;
}

function printBanner(info: LocalStackInfo, token: string, sink: boolean): void {
  const lines = [
    '',
    `Herald is ready at ${info.apiUrl}`,
    sink ? `  mail is written to ${info.mailDir}/*.eml` : `  mail goes to ${info.smtpUrl}`,
    `  channels without credentials (SMS, WhatsApp, mobile push) go to ${info.outboxDir}/<channel>.jsonl`,
    `  web push VAPID public key: ${info.vapidPublicKey}`,
    `  a dev token (client "local-dev", 30 days):`,
    '',
    `export HERALD_TOKEN=${token}`,
    '',
    `curl -s -X POST ${info.apiUrl}/v1/notifications \\`,
    `  -H "Authorization: Bearer $HERALD_TOKEN" -H 'Content-Type: application/json' \\`,
    `  -d '{"channel":"email","to":"ada@example.com","subject":"Hello","text":"Hi from Herald"}'`,
    '',
    `Then poll: curl -s "${info.apiUrl}/v1/notifications/<id>?waitSeconds=10" -H "Authorization: Bearer $HERALD_TOKEN"`,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
