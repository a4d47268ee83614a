/**
 * `--merge`: the run's results merged into the committed packages/bench/last-run.json, so a run of
 * a few phases adds their figures to the committed report without wiping the others (see
 * report/merge.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_PACKAGE } from '../lib/paths';
import { mergeResults, PHASE_FIGURES } from '../report/merge';
import type { BenchResults, ReportInput } from '../report/results';
import type { BenchOptions } from './options';
import { picked } from './phase-runner';
import type { Progress } from './progress';

/** The phases (as PHASE_FIGURES names them) a run with these options ran. */
export function phasesRun(options: Pick<BenchOptions, 'phases' | 'skipProfile'>): string[] {
  return Object.keys(PHASE_FIGURES).filter(
    (name) => picked(options.phases, name) && !(name === 'Profile' && options.skipProfile),
  );
}

/** `results` merged into the committed results; `results` alone when there are none. */
export function mergeIntoCommitted(
  results: BenchResults,
  options: BenchOptions,
  progress: Progress,
): NonNullable<ReportInput> {
  const file = path.join(BENCH_PACKAGE, 'last-run.json');
  if (!existsSync(file)) {
    progress.say(`--merge: no ${file}; writing this run's results alone`);
    return results;
  }
  const previous: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof previous !== 'object' || previous === null || Array.isArray(previous)) {
    throw new Error(`${file}: not a results object`);
  }
  const ran = phasesRun(options);
  progress.say(`--merge: replacing ${ran.join(', ')} in the results of ${file}`);
  return mergeResults(previous, results, ran);
}
