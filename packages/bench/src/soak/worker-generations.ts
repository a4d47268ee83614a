import type { LaunchOptions, NodeProcess, ProcessExit } from '@herald/local';
import { sinceStart } from './clock';

/** How a generation ended; `SIGTERM→SIGKILL`: it did not exit within the grace period. */
export type WorkerEnd = 'SIGKILL' | 'SIGTERM' | 'SIGTERM→SIGKILL';

/** What a worker's log lines tell: its delivery attempts, open and ended. */
interface AttemptCounts {
  /** Attempts started and not yet ended. */
  started: Set<string>;
  delivered: number;
  refused: number;
}

/** One worker process's life: which delivery attempts were open (started, no outcome) at its end. */
export interface WorkerGeneration extends AttemptCounts {
  n: number;
  proc: NodeProcess;
  ended?: WorkerEnd;
  openAtEnd: string[];
  startedAt: number;
  stopMs?: number;
  exit?: ProcessExit;
}

/** The worker restarts so far: counts and how long starts took. */
export interface Restarts {
  sigterm: number;
  sigkill: number;
  sigtermForcedKill: number;
  startMs: number[];
}

interface WorkerLogRecord {
  msg?: string;
  notificationId?: string;
}

/**
 * Starts one Herald worker with these launch options (a name, a line listener) and resolves once
 * it has started: the stack's `startWorker`.
 */
export type StartWorker = (launch: LaunchOptions) => Promise<NodeProcess>;

/**
 * The soak's worker processes, one generation after another: each is started with `startWorker`,
 * and its log lines tell which attempts were open when it was ended.
 */
export class WorkerGenerations {
  readonly all: WorkerGeneration[] = [];
  readonly restarts: Restarts = { sigterm: 0, sigkill: 0, sigtermForcedKill: 0, startMs: [] };
  /** The generation running now (the last started). */
  current: WorkerGeneration | undefined;

  constructor(private readonly startWorker: StartWorker) {}

  /** Starts the next generation and waits until it is polling. */
  async launch(): Promise<WorkerGeneration> {
    const t = Date.now();
    const n = this.all.length + 1;
    const startedAt = sinceStart();
    // Lines arrive while the worker starts: they are counted here, which becomes the generation.
    const counts: AttemptCounts = { started: new Set(), delivered: 0, refused: 0 };
    const proc = await this.startWorker({
      name: `worker#${n}`,
      onLine: (line) => countAttempt(counts, line),
    });
    const gen: WorkerGeneration = Object.assign(counts, { n, proc, openAtEnd: [], startedAt });
    this.all.push(gen);
    this.restarts.startMs.push(Date.now() - t);
    this.current = gen;
    return gen;
  }

  /** Ends a generation by SIGKILL (a crash) or SIGTERM (a deploy) and records what was open. */
  async end(gen: WorkerGeneration, how: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    gen.ended = how;
    const t = Date.now();
    let exit: ProcessExit;
    if (how === 'SIGKILL') exit = await gen.proc.kill();
    else {
      exit = await gen.proc.stop(10_000);
      if (exit.signal === 'SIGKILL') {
        this.restarts.sigtermForcedKill++;
        gen.ended = 'SIGTERM→SIGKILL';
      }
    }
    gen.stopMs = Date.now() - t;
    gen.exit = exit;
    gen.openAtEnd = [...gen.started];
  }
}

/** Reads one worker log line into `counts`: an attempt started, or one of its outcomes. */
function countAttempt(counts: AttemptCounts, line: string): void {
  if (line.charCodeAt(0) !== 123 /* { */) return;
  let record: WorkerLogRecord;
  try {
    record = JSON.parse(line) as WorkerLogRecord;
  } catch {
    return;
  }
  const id = record.notificationId;
  if (!id) return;
  if (record.msg === 'delivery attempt started') counts.started.add(id);
  else if (record.msg === 'notification delivered') {
    counts.delivered++;
    counts.started.delete(id);
  } else if (record.msg === 'notification refused') {
    counts.refused++;
    counts.started.delete(id);
  } else if (
    /^(delivery attempt failed|paced|lease lost|provider accepted)/.test(record.msg ?? '')
  ) {
    // Any other outcome of an attempt: it is over (a retry is scheduled, or another owns it).
    counts.started.delete(id);
  }
}
