import { parseArgs } from 'node:util';

/** What `pnpm soak` was asked to do (see main.ts's header for the modes). */
export interface SoakConfig {
  mode: 'soak' | 'fault-1';
  durationMin: number;
  rate: number;
  restartEverySec: number;
  kills: number;
  notifications: number;
  concurrency: number;
  smtpDelayMs: number;
  finalDeadlineSec: number;
  persist: boolean;
}

/** What the command line asks for: a run, the usage text, or a usage error (exit 2). */
export type SoakOptions =
  | { kind: 'run'; config: SoakConfig; keepDir: boolean }
  | { kind: 'help'; text: string }
  | { kind: 'usage-error'; message: string };

const USAGE =
  'usage: pnpm soak [--duration MIN] [--rate N/s] [--restart-every SEC]\n' +
  '       pnpm soak --kills K --notifications N [--concurrency C]\n' +
  '  common: [--smtp-delay-ms MS] [--final-deadline SEC] [--persist] [--keep-dir]\n';

class UsageError extends Error {}

function num(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    throw new UsageError(`--${name} must be a number >= ${min}, got ${value}`);
  }
  return n;
}

/** Parses `pnpm soak`'s arguments; never exits (main.ts decides what a usage error does). */
export function parseSoakOptions(args: readonly string[]): SoakOptions {
  try {
    const { values: o } = parseArgs({
      args: [...args],
      options: {
        duration: { type: 'string', default: '10' },
        rate: { type: 'string', default: '50' },
        'restart-every': { type: 'string', default: '60' },
        kills: { type: 'string' },
        notifications: { type: 'string' },
        concurrency: { type: 'string', default: '16' },
        'smtp-delay-ms': { type: 'string', default: '10' },
        'final-deadline': { type: 'string', default: '180' },
        persist: { type: 'boolean', default: false },
        'keep-dir': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (o.help) return { kind: 'help', text: USAGE };
    const faultMode = o.kills !== undefined || o.notifications !== undefined;
    return {
      kind: 'run',
      keepDir: o['keep-dir'],
      config: {
        mode: faultMode ? 'fault-1' : 'soak',
        durationMin: num('duration', o.duration, 0.05),
        rate: num('rate', o.rate, 0.1),
        restartEverySec: num('restart-every', o['restart-every'], 1),
        kills: num('kills', o.kills ?? '100', 0),
        notifications: num('notifications', o.notifications ?? '2000', 1),
        concurrency: num('concurrency', o.concurrency, 1),
        smtpDelayMs: num('smtp-delay-ms', o['smtp-delay-ms'], 0),
        finalDeadlineSec: num('final-deadline', o['final-deadline'], 1),
        persist: o.persist,
      },
    };
  } catch (err) {
    return { kind: 'usage-error', message: err instanceof Error ? err.message : String(err) };
  }
}
