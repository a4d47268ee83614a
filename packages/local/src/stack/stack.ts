import type { ClientSettings } from '@herald/core';
import type { Scope } from '@herald/auth';
import type { AwsClients, ClientSettingsChange } from '@herald/aws';
import type { NodeProcess } from '../node-process';
import type { LaunchOptions } from './herald-process';
import type { EmulatorProcesses } from './stack-emulators';
import type { StackKeys } from './stack-keys';
import type { StackNames } from './stack-options';
import type { StackResources } from './stack-resources';

/** A running Herald stack (see startStack). */
export interface Stack {
  /** `http://127.0.0.1:<port>` of the api. */
  apiUrl: string;
  /** The api process; `restartApi` replaces it (and so does a restart after a crash). */
  api: NodeProcess;
  /**
   * The worker started with the stack (undefined with `worker: false`). Set it when you start a
   * replacement with `startWorker`; `stop` stops every process the stack started anyway.
   */
  worker: NodeProcess | undefined;
  /**
   * The settings the api, the worker and the CLI share (with the caller's `env` and
   * HERALD_API_URL), without the api's or worker's own: run `herald` with these.
   */
  env: NodeJS.ProcessEnv;
  dynamodbEndpoint: string;
  /** SQS and SNS (fauxqs serves both). */
  sqsEndpoint: string;
  resources: StackResources;
  /** SDK clients pointed at the emulators; `stop` destroys them. */
  aws: AwsClients;
  keys: StackKeys;
  keysDir: string;
  dataDir: string;
  /** The emulators' child processes, current after restarts; undefined when in-process. */
  emulatorProcesses(): EmulatorProcesses | undefined;
  /** A client token signed with the stack's key (default: send and read scopes, one hour). */
  issueToken(clientId: string, scopes?: readonly Scope[], ttlSeconds?: number): Promise<string>;
  /**
   * Provisions one more set of what `herald setup` makes under `names` in the same emulators
   * (bench's baselines write to their own table and queue); idempotent.
   */
  provision(names: StackNames): Promise<StackResources>;
  /** `herald client set`, programmatically: changes one client's settings in the table. */
  setClientSettings(clientId: string, change: ClientSettingsChange): Promise<ClientSettings>;
  /**
   * Starts one more worker (`extraEnv` wins over everything) and resolves once it has started.
   * It does not replace `worker`.
   */
  startWorker(extraEnv?: NodeJS.ProcessEnv, launch?: LaunchOptions): Promise<NodeProcess>;
  /**
   * Starts one more api on a free port (`extraEnv` wins; a PORT in it is used) and resolves with
   * it and its URL once it listens. It does not replace `api`.
   */
  startApi(
    extraEnv?: NodeJS.ProcessEnv,
    launch?: LaunchOptions,
  ): Promise<{ process: NodeProcess; url: string }>;
  /**
   * Starts a new api with the same settings (plus `extraEnv`) on the same port as the first one
   * (stop or kill `api` first) and sets `api` to it.
   */
  restartApi(extraEnv?: NodeJS.ProcessEnv): Promise<NodeProcess>;
  /**
   * Starts `which` emulator again on its old port (and data dir) after it was killed or stopped;
   * with one emulator process, any `which` restarts both. fauxqs comes back empty: re-create the
   * queues (the caller's job).
   */
  restartEmulators(which: 'dynamodb' | 'sqs' | 'all'): Promise<void>;
  /**
   * Stops every api and worker the stack started (SIGTERM, then SIGKILL after the grace), the
   * emulators, and removes the data dir if the stack made it. Safe to call twice.
   */
  stop(): Promise<void>;
}
