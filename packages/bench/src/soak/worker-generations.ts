import type { NodeProcess, ProcessExit } from '@herald/local';
import { startTracked } from '../lib/processes';
import { sinceStart } from './clock';

/** How a generation ended; `SIGTERM→SIGKILL`: it did not exit within the grace period. */
export type WorkerEnd = 'SIGKILL' | 'SIGTERM' | 'SIGTERM→SIGKILL';

/** One worker process's life: which delivery attempts were open (started, no outcome) at its end. */
export interface WorkerGeneration {
  n: number;
  proc: NodeProcess;
  /** Attempts started and not yet ended. */
  started: Set<string>;
  delivered: number;
  refused: number;
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
 * The soak's worker processes, one generation after another: each is started from `entry` with
 * `env`, and its log lines tell which attempts were open when it was ended.
 */
export class WorkerGenerations {
  readonly all: WorkerGeneration[] = [];
  readonly restarts: Restarts = { sigterm: 0, sigkill: 0, sigtermForcedKill: 0, startMs: [] };
  /** The generation running now (the last started). */
  current: WorkerGeneration | undefined;

  constructor(
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts the next generation and waits until it is polling. */
  async launch(): Promise<WorkerGeneration> {
    const t = Date.now();
    const gen = this.start();
    await gen.proc.waitForLine(/herald worker started/);
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

  private start(): WorkerGeneration {
    const n = this.all.length + 1;
    const started = new Set<string>();
    const onLine = (line: string) => {
      if (line.charCodeAt(0) !== 123 /* { */) return;
      let record: WorkerLogRecord;
      try {
        record = JSON.parse(line) as WorkerLogRecord;
      } catch {
        return;
      }
      const id = record.notificationId;
      if (!id) return;
      if (record.msg === 'delivery attempt started') started.add(id);
      else if (record.msg === 'notification delivered') {
        gen.delivered++;
        started.delete(id);
      } else if (record.msg === 'notification refused') {
        gen.refused++;
        started.delete(id);
      } else if (
        /^(delivery attempt failed|paced|lease lost|provider accepted)/.test(record.msg ?? '')
      ) {
        // Any other outcome of an attempt: it is over (a retry is scheduled, or another owns it).
        started.delete(id);
      }
    };
    const proc = startTracked(`worker#${n}`, this.entry, { env: this.env, onLine });
    const gen: WorkerGeneration = {
      n,
      proc,
      started,
      delivered: 0,
      refused: 0,
      openAtEnd: [],
      startedAt: sinceStart(),
    };
    this.all.push(gen);
    return gen;
  }
}
