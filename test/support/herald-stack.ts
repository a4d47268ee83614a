import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createTestInfrastructure,
  startEmulatorsProcess,
  type EmulatorsProcess,
  type TestInfrastructure,
} from '@herald/local/testing';
import {
  startRecordingSmtpServer,
  type RecordingSmtpServer,
  type RecordingSmtpServerOptions,
} from '@herald/providers/testing';
import { entry, run, startProcess, type RunningProcess } from './processes';

/**
 * The real thing, started by a test: emulators in their own process, a recording SMTP server,
 * a fresh table and queue, keys made by the CLI, and the built api and worker processes.
 */
export interface HeraldStack {
  apiUrl: string;
  smtp: RecordingSmtpServer;
  infra: TestInfrastructure;
  api: RunningProcess;
  worker: RunningProcess;
  env: NodeJS.ProcessEnv;
  /** Runs the built `herald` CLI with this stack's settings. */
  cli(args: string[]): Promise<string>;
  issueToken(clientId: string, scopes?: string): Promise<string>;
  startWorker(extraEnv?: NodeJS.ProcessEnv): Promise<RunningProcess>;
  stop(): Promise<void>;
}

export interface StackOptions {
  smtp?: RecordingSmtpServerOptions;
  workerEnv?: NodeJS.ProcessEnv;
  visibilityTimeoutSeconds?: number;
}

export async function startHeraldStack(options: StackOptions = {}): Promise<HeraldStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'herald-e2e-'));
  const emulators: EmulatorsProcess = await startEmulatorsProcess();
  const infra = await createTestInfrastructure(emulators, {
    prefix: 'e2e',
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
  });
  const smtp = await startRecordingSmtpServer(options.smtp);
  const keysDir = path.join(dir, 'keys');
  const env: NodeJS.ProcessEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_DATA_DIR: dir,
    HERALD_KEYS_DIR: keysDir,
    HERALD_DYNAMODB_ENDPOINT: emulators.dynamodbEndpoint,
    HERALD_SQS_ENDPOINT: emulators.sqsEndpoint,
    HERALD_TABLE_NAME: infra.tableName,
    HERALD_QUEUE_URL: infra.queueUrl,
    HERALD_JWKS: path.join(keysDir, 'jwks.json'),
    HERALD_SWEEP_AFTER_SECONDS: '3',
    HERALD_SWEEP_INTERVAL_MS: '500',
    HERALD_REVOCATION_REFRESH_MS: '500',
    SMTP_URL: smtp.url,
    EMAIL_FROM: 'Herald <noreply@herald.test>',
    HERALD_SEND_TIMEOUT_MS: '3000',
    HERALD_RETRY_BASE_MS: '200',
    HERALD_RETRY_MAX_MS: '1000',
    HERALD_SHUTDOWN_GRACE_MS: '5000',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const cli = async (args: string[]) => (await run(entry('cli'), args, env)).stdout;
  await cli(['keys', 'generate']);

  const api = startProcess(entry('api'), [], env);
  const listening = JSON.parse(await api.waitForLine(/herald api listening/)) as { port: number };
  const apiUrl = `http://127.0.0.1:${listening.port}`;
  env.HERALD_API_URL = apiUrl;

  const startWorker = async (extraEnv: NodeJS.ProcessEnv = {}) => {
    const worker = startProcess(entry('worker'), [], { ...env, ...options.workerEnv, ...extraEnv });
    await worker.waitForLine(/herald worker started/);
    return worker;
  };
  const stack: HeraldStack = {
    apiUrl,
    smtp,
    infra,
    api,
    worker: await startWorker(),
    env,
    cli,
    issueToken: async (clientId, scopes = 'notifications:send,notifications:read') =>
      (
        await cli(['token', 'issue', '--client', clientId, '--scope', scopes, '--ttl', '1h'])
      ).trim(),
    startWorker,
    async stop() {
      await Promise.all([stack.api.stop(), stack.worker.stop()]);
      await smtp.close();
      infra.destroy();
      await emulators.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
