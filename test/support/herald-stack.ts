import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAwsClients, ensureHeraldResources, type HeraldResources } from '@herald/aws';
import {
  createTestInfrastructure,
  startEmulatorsProcess,
  type EmulatorEndpoints,
  type EmulatorsProcess,
  type TestInfrastructure,
} from '@herald/local/testing';
import {
  startRecordingSmtpServer,
  type RecordingSmtpServer,
  type RecordingSmtpServerOptions,
} from '@herald/providers/testing';
import { freePort } from './peers';
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
  /** The settings shared by the api, the worker and the CLI (without `apiEnv`/`workerEnv`). */
  env: NodeJS.ProcessEnv;
  /** The status topic and callbacks queue, when started with `statusEvents: true`. */
  resources?: HeraldResources;
  /** The worker's HERALD_CALLBACK_SECRET, when started with `statusEvents: true`. */
  callbackSecret?: string;
  /** Runs the built `herald` CLI with this stack's settings. */
  cli(args: string[]): Promise<string>;
  issueToken(clientId: string, scopes?: string): Promise<string>;
  startWorker(extraEnv?: NodeJS.ProcessEnv): Promise<RunningProcess>;
  /**
   * Starts a new api process with the same settings on the same port as the last one (stop or
   * kill `api` first); sets `api` to it.
   */
  restartApi(extraEnv?: NodeJS.ProcessEnv): Promise<RunningProcess>;
  /**
   * The emulator processes: one process for both unless started with `separateEmulators`.
   * `restartEmulators` replaces them after a kill or stop; `stop` stops the current ones.
   */
  emulators: { dynamodb: EmulatorsProcess; sqs: EmulatorsProcess };
  /**
   * Starts `which` emulator again on its old port (and data dir, with `persistData`) after it was
   * killed or stopped. fauxqs comes back empty: re-create the queues (the test's job).
   * With one shared process, any `which` restarts both.
   */
  restartEmulators(which: 'dynamodb' | 'sqs' | 'all'): Promise<void>;
  /** The stack's temporary directory (keys; dynalite's data under `emulators/` with `persistData`). */
  dir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  smtp?: RecordingSmtpServerOptions;
  /** Extra worker settings; they win over everything the stack sets. */
  workerEnv?: NodeJS.ProcessEnv;
  /** Extra api settings; they win over everything the stack sets. */
  apiEnv?: NodeJS.ProcessEnv;
  visibilityTimeoutSeconds?: number;
  /** The work queue's maxReceiveCount (default 10); not with `statusEvents`. */
  maxReceiveCount?: number;
  /**
   * Provision with `ensureHeraldResources` (table, queue, the status topic and the callbacks
   * queue subscribed to it) instead of `createTestInfrastructure`, and publish status events:
   * HERALD_SNS_ENDPOINT and HERALD_STATUS_TOPIC_ARN for both processes, HERALD_CALLBACK_QUEUE_URL
   * and a random HERALD_CALLBACK_SECRET (see `callbackSecret`) for the worker.
   */
  statusEvents?: boolean;
  /**
   * Start the api on a free port chosen up front (not PORT=0), so its URL is known before it
   * starts, and give both processes HERALD_PUBLIC_URL=<that URL> (Twilio delivery receipts).
   */
  publicUrl?: boolean;
  /** Run dynalite and fauxqs as two processes, so a test can kill one alone. */
  separateEmulators?: boolean;
  /** Keep dynalite's tables on disk under the stack's temporary dir, so they survive a restart. */
  persistData?: boolean;
}

// This process makes AWS clients too (provisioning): keep the SDK's Node version notice out of
// the test output, as the env below does for the processes.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function startHeraldStack(options: StackOptions = {}): Promise<HeraldStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'herald-e2e-'));
  const emulatorDataDir = options.persistData ? { dataDir: path.join(dir, 'emulators') } : {};
  const emulatorProcs = options.separateEmulators
    ? {
        dynamodb: await startEmulatorsProcess({ ...emulatorDataDir, only: 'dynamodb' }),
        sqs: await startEmulatorsProcess({ only: 'sqs' }),
      }
    : undefined;
  const emulatorsProc: EmulatorsProcess | undefined = emulatorProcs
    ? undefined
    : await startEmulatorsProcess(emulatorDataDir);
  const emulators = {
    dynamodbEndpoint: (emulatorProcs?.dynamodb ?? emulatorsProc)!.dynamodbEndpoint,
    sqsEndpoint: (emulatorProcs?.sqs ?? emulatorsProc)!.sqsEndpoint,
  };
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 5;
  const { infra, resources } = options.statusEvents
    ? await provisionHeraldResources(emulators, visibilityTimeoutSeconds)
    : {
        infra: await createTestInfrastructure(emulators, {
          prefix: 'e2e',
          visibilityTimeoutSeconds,
          ...(options.maxReceiveCount === undefined
            ? {}
            : { maxReceiveCount: options.maxReceiveCount }),
        }),
        resources: undefined,
      };
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
  const callbackSecret = resources ? randomBytes(32).toString('hex') : undefined;
  const processEnv: NodeJS.ProcessEnv = {};
  const workerOnlyEnv: NodeJS.ProcessEnv = {};
  if (resources) {
    processEnv.HERALD_SNS_ENDPOINT = emulators.sqsEndpoint;
    processEnv.HERALD_STATUS_TOPIC_ARN = resources.statusTopicArn;
    workerOnlyEnv.HERALD_CALLBACK_QUEUE_URL = resources.callbackQueueUrl;
    workerOnlyEnv.HERALD_CALLBACK_SECRET = callbackSecret;
  }
  if (options.publicUrl) {
    const port = await freePort();
    processEnv.PORT = String(port);
    processEnv.HERALD_PUBLIC_URL = `http://127.0.0.1:${port}`;
  }
  const cli = async (args: string[]) => (await run(entry('cli'), args, env)).stdout;
  await cli(['keys', 'generate']);

  const launchApi = async (extraEnv: NodeJS.ProcessEnv) => {
    const proc = startProcess(entry('api'), [], {
      ...env,
      ...processEnv,
      ...options.apiEnv,
      ...extraEnv,
    });
    const listening = JSON.parse(await proc.waitForLine(/herald api listening/)) as {
      port: number;
    };
    return { proc, port: listening.port };
  };
  const first = await launchApi({});
  const api = first.proc;
  const apiUrl = `http://127.0.0.1:${first.port}`;
  env.HERALD_API_URL = apiUrl;

  const startWorker = async (extraEnv: NodeJS.ProcessEnv = {}) => {
    const worker = startProcess(entry('worker'), [], {
      ...env,
      ...processEnv,
      ...workerOnlyEnv,
      ...options.workerEnv,
      ...extraEnv,
    });
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
    ...(resources ? { resources, callbackSecret } : {}),
    cli,
    issueToken: async (clientId, scopes = 'notifications:send,notifications:read') =>
      (
        await cli(['token', 'issue', '--client', clientId, '--scope', scopes, '--ttl', '1h'])
      ).trim(),
    startWorker,
    async restartApi(extraEnv = {}) {
      stack.api = (await launchApi({ PORT: String(first.port), ...extraEnv })).proc;
      return stack.api;
    },
    emulators: emulatorProcs ?? { dynamodb: emulatorsProc!, sqs: emulatorsProc! },
    async restartEmulators(which) {
      if (emulatorsProc !== undefined || which === 'all') {
        const procs = new Set([stack.emulators.dynamodb, stack.emulators.sqs]);
        const restarted = new Map<EmulatorsProcess, EmulatorsProcess>();
        for (const p of procs) restarted.set(p, await p.restart());
        stack.emulators = {
          dynamodb: restarted.get(stack.emulators.dynamodb)!,
          sqs: restarted.get(stack.emulators.sqs)!,
        };
      } else {
        stack.emulators = { ...stack.emulators, [which]: await stack.emulators[which].restart() };
      }
    },
    dir,
    async stop() {
      await Promise.all([stack.api.stop(), stack.worker.stop()]);
      await smtp.close();
      infra.destroy();
      await Promise.all(
        [...new Set([stack.emulators.dynamodb, stack.emulators.sqs])].map((e) => e.stop()),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/**
 * What `herald setup` and local mode create, with fresh random names: the table, the work queue
 * and its DLQ, a status topic, and the callbacks queue subscribed to it.
 */
async function provisionHeraldResources(
  emulators: EmulatorEndpoints,
  visibilityTimeoutSeconds: number,
): Promise<{ infra: TestInfrastructure; resources: HeraldResources }> {
  const name = `e2e-${randomBytes(4).toString('hex')}`;
  const clients = createAwsClients({
    region: 'us-east-1',
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    sqsEndpoint: emulators.sqsEndpoint,
    // fauxqs serves SNS on the SQS port.
    snsEndpoint: emulators.sqsEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const queueName = `${name}-queue`;
  const resources = await ensureHeraldResources({
    dynamodb: clients.dynamodb,
    sqs: clients.sqs,
    sns: clients.sns,
    tableName: name,
    queueName,
    topicName: `${name}-status`,
    visibilityTimeoutSeconds,
  });
  return {
    resources,
    infra: {
      clients,
      tableName: name,
      queueName,
      dlqName: `${queueName}-dlq`,
      queueUrl: resources.queueUrl,
      dlqUrl: resources.dlqUrl,
      destroy() {
        clients.dynamodb.destroy();
        clients.sqs.destroy();
        clients.sns.destroy();
      },
    },
  };
}
