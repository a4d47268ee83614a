import { rssMb } from '@herald/local';

/** One RSS reading of the stack's processes, in KB (undefined: not running). */
export interface RssSample {
  t: number;
  api: number | undefined;
  worker: number | undefined;
  workerGen: number | undefined;
  emulators: number | undefined;
}

/** RSS at the start and end of one minute, in MB. */
export interface RssMinute {
  minute: number;
  apiStartMB: number | null;
  apiEndMB: number | null;
  workerStartMB: number | null;
  workerEndMB: number | null;
  workerGens: (number | undefined)[];
  emulatorsStartMB: number | null;
  emulatorsEndMB: number | null;
}

/** A process's RSS in KB, from /proc; undefined once it has exited. */
export function readRssKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const rss = rssMb(pid);
  return rss === undefined ? undefined : rss * 1024;
}

/** KB as "12.3MB" for progress lines. */
export const mb = (kb: number | undefined): string =>
  kb === undefined ? '-' : `${(kb / 1024).toFixed(1)}MB`;

/** The highest sample of one process over the run, in MB (one decimal). */
export function peakMb(samples: readonly RssSample[], key: 'api' | 'worker' | 'emulators'): number {
  const peak = samples.reduce((m, s) => Math.max(m, s[key] ?? 0), 0);
  return +(peak / 1024).toFixed(1);
}

/** RSS at the start and end of each minute (worker: the generation alive then; it restarts). */
export function perMinute(samples: readonly RssSample[]): RssMinute[] {
  const out: RssMinute[] = [];
  const r = (kb: number | undefined) => (kb === undefined ? null : +(kb / 1024).toFixed(1));
  for (let m = 0; ; m++) {
    const inMin = samples.filter((s) => s.t >= m * 60_000 && s.t < (m + 1) * 60_000);
    const first = inMin[0];
    const last = inMin.at(-1);
    if (first === undefined || last === undefined) break;
    const firstW = inMin.find((s) => s.worker !== undefined);
    const lastW = [...inMin].reverse().find((s) => s.worker !== undefined);
    out.push({
      minute: m,
      apiStartMB: r(first.api),
      apiEndMB: r(last.api),
      workerStartMB: r(firstW?.worker),
      workerEndMB: r(lastW?.worker),
      workerGens: [firstW?.workerGen, lastW?.workerGen],
      emulatorsStartMB: r(first.emulators),
      emulatorsEndMB: r(last.emulators),
    });
  }
  return out;
}
