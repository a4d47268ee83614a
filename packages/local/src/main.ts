import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SCOPES } from '@herald/auth';
import { pino } from 'pino';
import { LOCAL_REGION } from './local-aws';
import { loadLocalConfig, type LocalStackInfo } from './local-config';
import { formatLogLine } from './log-line';
import { startSmtpSink } from './smtp-sink';
import type { Stack } from './stack/stack';
import { startStack } from './stack/start-stack';
import { waitForHttp } from './wait-for-http';

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
  const mailDir = path.join(config.dataDir, 'mail');
  await mkdir(config.dataDir, { recursive: true });

  const sink = config.SMTP_URL
    ? undefined
    : await startSmtpSink({ dir: mailDir, port: config.HERALD_SMTP_PORT, logger });
  const smtpUrl = config.SMTP_URL ?? sink?.url ?? '';
  const stack = await startStack({
    emulators: 'in-process',
    dataDir: config.dataDir,
    persistData: true,
    dynamodbPort: config.HERALD_DYNAMODB_PORT,
    sqsPort: config.HERALD_SQS_PORT,
    resources: 'herald',
    statusEvents: true,
    localMode: true,
    smtpUrl,
    port: config.PORT,
    // Unsubscribe links in topic emails point at this api, unless a public URL was given.
    publicUrl: config.HERALD_PUBLIC_URL === undefined,
    env: {
      // Local mode re-enqueues lost messages quickly: fauxqs forgets its queues on every restart.
      HERALD_SWEEP_AFTER_SECONDS: process.env.HERALD_SWEEP_AFTER_SECONDS ?? '10',
      HERALD_SWEEP_INTERVAL_MS: process.env.HERALD_SWEEP_INTERVAL_MS ?? '2000',
      EMAIL_FROM: config.EMAIL_FROM,
      LOG_LEVEL: config.LOG_LEVEL,
    },
    output: 'relay',
    restartOnCrash: true,
    workerStopGraceMs: config.HERALD_LOCAL_STOP_GRACE_MS,
    logger,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the local stack');
    await stack.stop();
    await rm(path.join(config.dataDir, 'local.json'), { force: true });
    await sink?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await waitForHttp(`${stack.apiUrl}/readyz`, 30_000);
  const info: LocalStackInfo = {
    apiUrl: stack.apiUrl,
    region: LOCAL_REGION,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    sqsEndpoint: stack.sqsEndpoint,
    smtpUrl,
    tableName: stack.resources.tableName,
    audienceTableName: stack.resources.audienceTableName,
    queueUrl: stack.resources.queueUrl,
    dlqUrl: stack.resources.dlqUrl,
    keysDir: stack.keysDir,
    mailDir,
    outboxDir: path.join(config.dataDir, 'outbox'),
    vapidPublicKey: stack.keys.vapid.publicKey,
    statusTopicArn: stack.resources.statusTopicArn ?? '',
    tokenIssuer: stack.keys.issuer,
    tokenAudience: stack.keys.audience,
    pids: pidsOf(stack),
  };
  await writeFile(path.join(config.dataDir, 'local.json'), `${JSON.stringify(info, null, 2)}\n`);
  const devToken = await stack.issueToken('local-dev', SCOPES, 30 * 24 * 3600);
  printBanner(info, devToken, Boolean(sink));
}

function pidsOf(stack: Stack): LocalStackInfo['pids'] {
  const pids: LocalStackInfo['pids'] = { stack: process.pid };
  const apiPid = stack.api.pid;
  const workerPid = stack.worker?.pid;
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
