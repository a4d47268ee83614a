/**
 * The results of the audience phases (issue 14): the fan-out of a topic send and scheduled
 * sends. Every field is optional in the report (a saved file from an older run lacks them).
 */
import type { LatencySummary } from '../lib/stats';

/** Where the worker's single-notification rate a figure is judged against came from. */
export interface WorkerRateBaseline {
  /** Notifications/s (steady state, between the 5th and 95th percentile arrival). */
  perSec: number;
  /** `worker-phase`: the Worker phase's median in the same run; `backlog`: measured here. */
  source: 'worker-phase' | 'backlog';
  /** Notifications in the backlog measured here (source `backlog`). */
  notifications?: number;
}

/** Accept → claim (`attempt_started` − `accepted`) of direct notifications posted one at a time. */
export interface QueueWait extends LatencySummary {
  /** The offered rate, notifications/s. */
  rate: number;
  /** Posted probes whose claim was never seen. */
  missing: number;
}

/** The highest worker RSS while the fan-out's children up to `delivered` were delivered. */
export interface FanOutRssPoint {
  delivered: number;
  rssMb: number;
}

/** Worker RSS (MB) through the fan-out, sampled every 250 ms. */
export interface FanOutRss {
  /** Just before the accept. */
  startMb: number;
  peakMb: number;
  /** Once the parent was final. */
  endMb: number;
  samples: number;
  /** The peak in each tenth of the children delivered (the flatness target reads it). */
  byTenth: FanOutRssPoint[];
}

/** One fan-out of a topic send to `subscribers` recipients (one Slack child each). */
export interface FanOutFigures {
  subscribers: number;
  /** Children the parent recorded as created. */
  children: number;
  /** Children the parent counted Delivered once it was final. */
  delivered: number;
  /** The parent's final status. */
  parentStatus: string;
  /** Seconds from the parent's `accepted` event to its `fanned_out` event. */
  fanOutSeconds: number;
  /** children / fanOutSeconds. */
  createdPerSec: number;
  /** The bare loop: the same conditional PutItem calls, concurrency 16, into a scratch table. */
  bareLoopPerSec: number;
  /** Seconds from the accept returning to the last child's arrival at the sink. */
  deliverySeconds: number;
  /** children / deliverySeconds. */
  deliveredPerSec: number;
  worker: WorkerRateBaseline;
  rss: FanOutRss;
  /** Direct notifications' queue wait with the worker idle, before the fan-out. */
  waitIdle: QueueWait;
  /** The same during the fan-out. */
  waitDuringFanOut: QueueWait;
  /** Messages the sink got more than once (a redelivery). */
  duplicates: number;
}

/** Scheduled direct notifications whose `sendAt` fall evenly over a period. */
export interface ScheduledFigures {
  notifications: number;
  /** notifications/s the sendAt times are spaced at (half the worker's rate). */
  rate: number;
  worker: WorkerRateBaseline;
  /** Seconds from the first post to the first sendAt (every post was answered before it). */
  leadSeconds: number;
  /** Seconds the sendAt times span. */
  periodSeconds: number;
  /** Claim lag (`attempt_started` − `sendAt`), ms. */
  lag: LatencySummary;
  /** Claimed before their sendAt (must be 0). */
  early: number;
  /** Posted notifications whose claim was never seen. */
  missing: number;
}

/** A phase's figures that a `--merge` run kept from an earlier run. */
export interface MergedFrom {
  /** The phases (as named by `--phases`) and the run they come from. */
  phases: string[];
  startedAt: string;
  command: string;
  /** The Herald commit that run measured. */
  herald?: string;
}
