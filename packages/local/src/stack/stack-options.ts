import type { Logger } from '@herald/core';

/**
 * Where the emulators run: in this process (`pnpm start`), in one child process (tests), or one
 * child process each (a test that kills one alone; bench, so they use two cores).
 */
export type EmulatorMode = 'in-process' | 'process' | 'process-each';

/**
 * What to provision: everything `herald setup` makes (table, work queue + DLQ, status topic,
 * callbacks queue subscribed to it), or only the table, work queue and DLQ (with
 * `maxReceiveCount`), as the integration tests' infrastructure.
 */
export type ResourceSet = 'herald' | 'work-queue';

/**
 * What happens to the api's and worker's output: kept in `lines` (tests assert on it), relayed to
 * this process's stdout as readable lines (`pnpm start`, see formatLogLine), or dropped (bench:
 * splitting lines under load would take CPU from what it measures).
 */
export type OutputMode = 'keep' | 'relay' | 'none';

/** Resource names; any left out get Herald's defaults (`herald`, `herald-notifications`, …). */
export interface StackNames {
  tableName?: string;
  /** The audience table (recipients, devices); default `herald-audience`. */
  audienceTableName?: string;
  /** The work queue; its DLQ is `<name>-dlq` and the callbacks queue `<name>-callbacks`. */
  queueName?: string;
  /** The status topic (with `resources: 'herald'`). */
  topicName?: string;
}

/** Options of startStack; every one may be left out. */
export interface StackOptions {
  /** Default `process`. */
  emulators?: EmulatorMode;
  /** 0 (the default): any free port. Restarts keep the ports either way. */
  dynamodbPort?: number;
  sqsPort?: number;
  /**
   * Keys, the sandbox outbox and (with `persistData`) dynalite's tables live here. Absent: a
   * temporary directory, removed by `stop`.
   */
  dataDir?: string;
  /** Keep dynalite's tables under `<dataDir>/dynamodb`, so they survive an emulator restart. */
  persistData?: boolean;
  /** Default `herald`. */
  resources?: ResourceSet;
  names?: StackNames;
  /** The work queue's visibility timeout (SQS default when absent). */
  visibilityTimeoutSeconds?: number;
  /** The work queue's maxReceiveCount (default 10); only with `resources: 'work-queue'`. */
  maxReceiveCount?: number;
  /**
   * Publish status events (needs `resources: 'herald'`): both processes get the SNS endpoint and
   * HERALD_STATUS_TOPIC_ARN, the worker the callbacks queue and HERALD_CALLBACK_SECRET.
   */
  statusEvents?: boolean;
  /**
   * Local mode (`pnpm start`): HERALD_LOCAL_MODE, channels without credentials write to the
   * sandbox outbox `<dataDir>/outbox`, and web push gets the stack's VAPID keys.
   */
  localMode?: boolean;
  /** SMTP_URL for the worker's email provider (none when absent). */
  smtpUrl?: string;
  /** The api's port; 0 (the default) lets it pick one (see `apiUrl`). */
  port?: number;
  /**
   * Choose the api's port up front (a free one, unless `port` is given) and give both processes
   * HERALD_PUBLIC_URL=<its URL>, so it is known before the api starts (Twilio receipts, the
   * unsubscribe links of topic emails; `pnpm start` sets it unless HERALD_PUBLIC_URL is set).
   */
  publicUrl?: boolean;
  /** Added to the shared environment; wins over what the stack sets. */
  env?: NodeJS.ProcessEnv;
  /** Added to the api's environment; wins over `env`. */
  apiEnv?: NodeJS.ProcessEnv;
  /** Added to the worker's environment; wins over `env`. */
  workerEnv?: NodeJS.ProcessEnv;
  apiExecArgv?: readonly string[];
  workerExecArgv?: readonly string[];
  /** Start a worker with the stack (default true); otherwise call `startWorker`. */
  worker?: boolean;
  /** Default `keep`. */
  output?: OutputMode;
  /**
   * Start the api or worker again, a second later, when it exits without being stopped (`pnpm
   * start`: a crashed worker never stalls the local stack). Needs `logger` to say so.
   */
  restartOnCrash?: boolean;
  /** How long the worker gets to finish in-flight sends at `stop` (default 10 s). */
  workerStopGraceMs?: number;
  /** Where the stack reports restarts; silent when absent. */
  logger?: Logger;
}
