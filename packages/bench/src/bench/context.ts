import type { NodeProcess } from '@herald/local';
import type { SdkClients } from '../baselines/herald-shapes';
import type { BenchResults, BenchSettings } from '../report/results';
import type { Progress } from './progress';
import type { Sink } from './sink';
import type { BenchEmulators, HeraldSetup, RunningApi } from './stack';

/** What every phase works with: the stack started once for the run, and the results it fills. */
export interface BenchContext {
  settings: BenchSettings;
  results: BenchResults;
  progress: Progress;
  /** The run's temporary directory (keys, profiles). */
  dir: string;
  emulators: BenchEmulators;
  /** Herald's table, queue and token. */
  herald: HeraldSetup;
  /** The table and queue the S and Naive baselines write to, so Herald's phases never see them. */
  baseTable: HeraldSetup;
  sink: Sink;
  /** SDK clients for queue housekeeping. */
  aws: SdkClients;
  /** The api every phase loads, started once. */
  api: RunningApi;
  /** The Herald worker running now, if any (its RSS is sampled for the peak). */
  worker: NodeProcess | undefined;
}

/** One phase of the run: fills its part of `ctx.results`, or throws. */
export type BenchPhase = (ctx: BenchContext) => Promise<void>;
