import { parseArgs } from 'node:util';
import type { BenchSettings } from '../report/results';

/** What `pnpm bench` was asked to do. */
export interface BenchOptions {
  settings: BenchSettings;
  skipProfile: boolean;
  /** Lower-case phase names (or first words) to run; undefined: all. */
  phases: string[] | undefined;
  /** Where BENCHMARKS.md, the chart and last-run.json go. */
  out: string;
  /** Merge into the committed last-run.json: replace only the figures of the phases run now. */
  merge: boolean;
}

/** What the command line asks for: a run, the usage text, or a usage error (exit 2). */
export type ParsedBenchArgs =
  | { kind: 'run'; options: BenchOptions }
  | { kind: 'help'; text: string }
  | { kind: 'usage-error'; message: string };

const USAGE =
  'usage: pnpm bench [--quick] [--duration S] [--repeats N] [--connections C]\n' +
  '                  [--worker-messages N] [--backlog N] [--fan-out N] [--scheduled N]\n' +
  '                  [--skip-profile] [--out DIR] [--merge]\n' +
  '                  [--phases B,Ingest,S,Naive,Status,Half,Worker,Hand-off,Fan-out,Scheduled,\n' +
  '                            Cost,Backlog,Profile]\n';

class UsageError extends Error {}

function int(name: string, value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--${name} must be a positive integer, got ${value}`);
  }
  return n;
}

/** Parses `pnpm bench`'s arguments; `defaultOut` is the repository root. Never exits. */
export function parseBenchArgs(args: readonly string[], defaultOut: string): ParsedBenchArgs {
  try {
    const { values: a } = parseArgs({
      args: [...args],
      options: {
        quick: { type: 'boolean', default: false },
        duration: { type: 'string' },
        repeats: { type: 'string' },
        connections: { type: 'string', default: '50' },
        'worker-messages': { type: 'string' },
        backlog: { type: 'string' },
        'fan-out': { type: 'string' },
        scheduled: { type: 'string' },
        merge: { type: 'boolean', default: false },
        'skip-profile': { type: 'boolean', default: false },
        phases: { type: 'string' },
        out: { type: 'string', default: defaultOut },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (a.help) return { kind: 'help', text: USAGE };
    const quick = a.quick;
    return {
      kind: 'run',
      options: {
        settings: {
          durationS: int('duration', a.duration, quick ? 3 : 10),
          warmupS: quick ? 1 : 3,
          repeats: int('repeats', a.repeats, quick ? 1 : 3),
          connections: int('connections', a.connections, 50),
          longPollConnections: 200,
          longPollWaitSeconds: 1,
          workerConcurrency: 40,
          workerMessages: int('worker-messages', a['worker-messages'], quick ? 1000 : 4000),
          costNotifications: quick ? 500 : 2000,
          backlog: int('backlog', a.backlog, quick ? 10_000 : 100_000),
          fanOut: int('fan-out', a['fan-out'], quick ? 1000 : 10_000),
          scheduled: int('scheduled', a.scheduled, quick ? 1000 : 10_000),
        },
        skipProfile: a['skip-profile'],
        phases: a.phases?.split(',').map((p) => p.trim().toLowerCase()),
        out: a.out,
        merge: a.merge,
      },
    };
  } catch (err) {
    return { kind: 'usage-error', message: err instanceof Error ? err.message : String(err) };
  }
}
