import type { HeraldResources, AwsClients } from '@herald/aws';
import { parseScopes } from '@herald/auth';
import {
  heraldEntry,
  randomStackNames,
  runNode,
  startStack,
  type EmulatorProcesses,
  type NodeProcess,
} from '@herald/local';
import {
  startRecordingSmtpServer,
  type RecordingSmtpServer,
  type RecordingSmtpServerOptions,
} from '@herald/providers/testing';

/** The stack's table and work queue, and SDK clients pointed at the emulators. */
export interface TestInfrastructure {
  clients: AwsClients;
  tableName: string;
  queueName: string;
  dlqName: string;
  queueUrl: string;
  dlqUrl: string;
  /** The bulk queue (topic children) and its DLQ. */
  bulkQueueUrl: string;
  bulkDlqUrl: string;
}

/**
 * The real thing, started by a test (see `startStack` in @herald/local): emulators in their own
 * process, a recording SMTP server, a fresh table and queue, keys, and the built api and worker
 * processes, with timings short enough for tests.
 */
export interface HeraldStack {
  apiUrl: string;
  smtp: RecordingSmtpServer;
  infra: TestInfrastructure;
  api: NodeProcess;
  worker: NodeProcess;
  /** The settings shared by the api, the worker and the CLI (without `apiEnv`/`workerEnv`). */
  env: NodeJS.ProcessEnv;
  /** The status topic and callbacks queue, when started with `statusEvents: true`. */
  resources?: HeraldResources;
  /** The worker's HERALD_CALLBACK_SECRET, when started with `statusEvents: true`. */
  callbackSecret?: string;
  /** Runs the built `herald` CLI with this stack's settings. */
  cli(args: string[]): Promise<string>;
  /** A token with `scopes` (comma-separated; default send and read), valid for an hour. */
  issueToken(clientId: string, scopes?: string): Promise<string>;
  startWorker(extraEnv?: NodeJS.ProcessEnv): Promise<NodeProcess>;
  /**
   * Starts a new api process with the same settings on the same port as the last one (stop or
   * kill `api` first); sets `api` to it.
   */
  restartApi(extraEnv?: NodeJS.ProcessEnv): Promise<NodeProcess>;
  /**
   * The emulator processes: one process for both unless started with `separateEmulators`.
   * `restartEmulators` replaces them after a kill or stop.
   */
  readonly emulators: EmulatorProcesses;
  /**
   * Starts `which` emulator again on its old port (and data dir, with `persistData`) after it was
   * killed or stopped. fauxqs comes back empty: re-create the queues (the test's job).
   * With one shared process, any `which` restarts both.
   */
  restartEmulators(which: 'dynamodb' | 'sqs' | 'all'): Promise<void>;
  /** The stack's temporary directory (keys; dynalite's data under `dynamodb/` with `persistData`). */
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
   * Provision what `herald setup` makes (table, queue, the status topic and the callbacks queue
   * subscribed to it) instead of only the table and queue, and publish status events:
   * HERALD_SNS_ENDPOINT and HERALD_STATUS_TOPIC_ARN for both processes, HERALD_CALLBACK_QUEUE_URL
   * and HERALD_CALLBACK_SECRET (see `callbackSecret`) for the worker.
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

/** Short timings, so retries, sweeps and shutdowns happen within a test's patience. */
const TEST_TIMINGS: NodeJS.ProcessEnv = {
  HERALD_SWEEP_AFTER_SECONDS: '3',
  HERALD_SWEEP_INTERVAL_MS: '500',
  HERALD_REVOCATION_REFRESH_MS: '500',
  HERALD_SEND_TIMEOUT_MS: '3000',
  HERALD_RETRY_BASE_MS: '200',
  HERALD_RETRY_MAX_MS: '1000',
  // Scaled with the retries: with the default 30 s, a provider slowed by an overloaded machine
  // opens its circuit and the 1 s retries spend every attempt on `circuit_open` before it closes.
  HERALD_CIRCUIT_COOLDOWN_MS: '2000',
  HERALD_SHUTDOWN_GRACE_MS: '5000',
};

// This process makes AWS clients too (provisioning): keep the SDK's Node version notice out of
// the test output, as the stack's environment does for the processes.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function startHeraldStack(options: StackOptions = {}): Promise<HeraldStack> {
  const smtp = await startRecordingSmtpServer(options.smtp);
  const stack = await startStack({
    emulators: options.separateEmulators ? 'process-each' : 'process',
    ...(options.persistData ? { persistData: true } : {}),
    resources: options.statusEvents ? 'herald' : 'work-queue',
    names: randomStackNames('e2e'),
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
    ...(options.maxReceiveCount === undefined ? {} : { maxReceiveCount: options.maxReceiveCount }),
    ...(options.statusEvents ? { statusEvents: true } : {}),
    ...(options.publicUrl ? { publicUrl: true } : {}),
    smtpUrl: smtp.url,
    env: { ...TEST_TIMINGS, EMAIL_FROM: 'Herald <noreply@herald.test>', LOG_LEVEL: 'info' },
    ...(options.apiEnv === undefined ? {} : { apiEnv: options.apiEnv }),
    ...(options.workerEnv === undefined ? {} : { workerEnv: options.workerEnv }),
    output: 'keep',
  }).catch(async (err: unknown) => {
    await smtp.close();
    throw err;
  });
  const firstWorker = stack.worker;
  if (firstWorker === undefined) throw new Error('the stack started no worker');
  let worker: NodeProcess = firstWorker;
  const { resources } = stack;
  const heraldResources =
    resources.statusTopicArn !== undefined && resources.callbackQueueUrl !== undefined
      ? {
          queueUrl: resources.queueUrl,
          dlqUrl: resources.dlqUrl,
          bulkQueueUrl: resources.bulkQueueUrl,
          bulkDlqUrl: resources.bulkDlqUrl,
          statusTopicArn: resources.statusTopicArn,
          callbackQueueUrl: resources.callbackQueueUrl,
        }
      : undefined;
  const cli = async (args: string[]) => (await runNode(heraldEntry('cli'), args, stack.env)).stdout;

  return {
    apiUrl: stack.apiUrl,
    smtp,
    infra: { clients: stack.aws, ...resources },
    get api() {
      return stack.api;
    },
    set api(proc: NodeProcess) {
      stack.api = proc;
    },
    get worker() {
      return worker;
    },
    set worker(proc: NodeProcess) {
      worker = proc;
    },
    env: stack.env,
    ...(options.statusEvents && heraldResources
      ? { resources: heraldResources, callbackSecret: stack.keys.callbackSecret }
      : {}),
    cli,
    issueToken: (clientId, scopes = 'notifications:send,notifications:read') =>
      stack.issueToken(clientId, parseScopes(scopes), 3600),
    startWorker: (extraEnv) => stack.startWorker(extraEnv),
    restartApi: (extraEnv) => stack.restartApi(extraEnv),
    get emulators() {
      return stack.emulatorProcesses()!;
    },
    restartEmulators: (which) => stack.restartEmulators(which),
    dir: stack.dataDir,
    async stop() {
      await stack.stop();
      await smtp.close();
    },
  };
}
