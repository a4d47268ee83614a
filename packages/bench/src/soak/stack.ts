/**
 * The soak's stack, started with `@herald/local`'s startStack: both emulators in one process (on
 * disk with `persist`), table `soak` and its queues, and the BUILT api (`tsc -b` first) with fast
 * sweeps and retries and email to the counting SMTP server. No worker: the soak starts, kills and
 * restarts its own with `stack.startWorker` (see WorkerGenerations).
 */
import { startStack, type Stack } from '@herald/local';
import { stopWithAll } from '../lib/processes';

/** How to start the soak's stack. */
export interface SoakStackOptions {
  /** The run's temporary directory (keys, and dynalite's data with `persist`). */
  dir: string;
  /** dynalite keeps its tables on disk instead of in memory. */
  persist: boolean;
  smtpPort: number;
}

/** The running soak stack and client `soak`'s token for its api. */
export interface SoakStack {
  stack: Stack;
  token: string;
}

/** Starts the stack; it joins the processes `stopAll` stops, even while it starts. */
export async function startSoakStack(options: SoakStackOptions): Promise<SoakStack> {
  const stack = await stopWithAll(
    startStack({
      emulators: 'process',
      dataDir: options.dir,
      persistData: options.persist,
      names: { tableName: 'soak', queueName: 'soak-queue' },
      smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
      // The api's lines are not needed, and keeping 10 minutes of them would grow this process;
      // the workers' lines go to WorkerGenerations' listener.
      output: 'none',
      worker: false,
      env: {
        HERALD_SWEEP_AFTER_SECONDS: '5',
        HERALD_SWEEP_INTERVAL_MS: '1000',
        HERALD_REVOCATION_REFRESH_MS: '2000',
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
        LOG_LEVEL: 'info',
      },
    }),
  );
  const token = await stack.issueToken(
    'soak',
    ['notifications:send', 'notifications:read'],
    12 * 3600,
  );
  return { stack, token };
}

/** The pid of the emulators' process (its RSS is sampled). */
export function emulatorsPid(stack: Stack): number | undefined {
  return stack.emulatorProcesses()?.dynamodb.process.pid;
}
