/**
 * The local stack the benchmark measures, started with `@herald/local`'s startStack: dynalite and
 * fauxqs (one process each, in memory), Herald's resources with status events, and the BUILT api
 * (`tsc -b` first; `pnpm bench` does that) configured like local mode, with Slack delivery to the
 * bench sink. Workers are started by the phases (`ctx.stack.startWorker`). The one place the
 * bench starts a stack.
 */
import { startStack, type Stack, type StackResources } from '@herald/local';
import { stopWithAll } from '../lib/processes';

/** Herald's stack for the run, its client token, and the baselines' own table and queue. */
export interface BenchStack {
  /** Table `bench`, queue `bench-queue`; the api is running, no worker. */
  stack: Stack;
  /** Client `bench`'s token (send and read, 12 h), allowed the configured webhook `bench`. */
  token: string;
  /** Table `bench-base`, queue `bench-base-queue`: S and Naive write here, not in Herald's. */
  base: StackResources;
}

/** The sweeper's delay (see the env below); the bench's own accept code uses it too. */
export const BENCH_SWEEP_AFTER_SECONDS = 3600;

/** The resources' names: Herald's, and the baselines' beside them. */
export const BENCH_NAMES = { tableName: 'bench', queueName: 'bench-queue' } as const;
export const BASE_NAMES = { tableName: 'bench-base', queueName: 'bench-base-queue' } as const;

/**
 * Starts the stack with its data (keys, profiles) under `dir`, which the caller removes. The
 * stack joins the processes `stopAll` stops (Ctrl-C, the end of the run), even while it starts.
 */
export async function startBenchStack(options: {
  dir: string;
  sinkUrl: string;
}): Promise<BenchStack> {
  const stack = await stopWithAll(
    startStack({
      // Two processes, so dynalite and fauxqs can use both cores.
      emulators: 'process-each',
      dataDir: options.dir,
      names: BENCH_NAMES,
      statusEvents: true,
      // Splitting the api's and worker's log lines under load would take CPU from what is measured.
      output: 'none',
      worker: false,
      env: {
        // http and loopback targets (the sink) allowed, as in local mode.
        HERALD_LOCAL_MODE: 'true',
        // One client sends all the load: its rate limits must not be what is measured (sends,
        // status reads, and the long-poll phase's connections, all this one client's).
        HERALD_RATE_LIMIT_PER_SECOND: '1000000',
        HERALD_RATE_LIMIT_BURST: '1000000',
        HERALD_READ_RATE_LIMIT_PER_SECOND: '1000000',
        HERALD_READ_RATE_LIMIT_BURST: '1000000',
        HERALD_LONG_POLLS_PER_CLIENT: '1000000',
        // Phases purge the queue between runs; the sweeper must not bring those notifications
        // back into a later phase. It still runs its periodic scan, as in production.
        HERALD_SWEEP_AFTER_SECONDS: String(BENCH_SWEEP_AFTER_SECONDS),
        LOG_LEVEL: 'info',
      },
      workerEnv: { SLACK_WEBHOOKS: JSON.stringify({ bench: options.sinkUrl }) },
    }),
  );
  const base = await stack.provision(BASE_NAMES);
  const token = await stack.issueToken(
    'bench',
    ['notifications:send', 'notifications:read'],
    12 * 3600,
  );
  // The load goes to the configured webhook `bench`, which a client may use only when allowed.
  await stack.setClientSettings('bench', { allowedSlackWebhooks: ['bench'] });
  return { stack, token, base };
}

/** The pids of dynalite's and fauxqs's processes (CPU and memory figures). */
export function emulatorPids(stack: Stack): {
  dynamodb: number | undefined;
  sqs: number | undefined;
} {
  const processes = stack.emulatorProcesses();
  return { dynamodb: processes?.dynamodb.process.pid, sqs: processes?.sqs.process.pid };
}
