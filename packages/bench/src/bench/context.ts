import type { NodeProcess, Stack, StackResources } from '@herald/local';
import type { BenchResults, BenchSettings } from '../report/results';
import type { Progress } from './progress';
import type { Sink } from './sink';

/** What every phase works with: the stack started once for the run, and the results it fills. */
export interface BenchContext {
  settings: BenchSettings;
  results: BenchResults;
  progress: Progress;
  /** The run's temporary directory (the stack's keys, profiles). */
  dir: string;
  /**
   * Herald's stack (see startBenchStack): its resources, the emulators' endpoints and clients
   * (`stack.aws` for queue housekeeping), and the api every phase loads (`stack.api`,
   * `stack.apiUrl`), started once.
   */
  stack: Stack;
  /** Client `bench`'s token. */
  token: string;
  /** The table and queue the S and Naive baselines write to, so Herald's phases never see them. */
  baseTable: StackResources;
  sink: Sink;
  /** The Herald worker running now, if any (its RSS is sampled for the peak). */
  worker: NodeProcess | undefined;
}

/** One phase of the run: fills its part of `ctx.results`, or throws. */
export type BenchPhase = (ctx: BenchContext) => Promise<void>;
