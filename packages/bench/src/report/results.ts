/**
 * The results of one `pnpm bench` run: what the runner builds phase by phase, what it saves as
 * packages/bench/last-run.json, and what the report renders (BENCHMARKS.md and the latency chart).
 *
 * A phase that failed or was skipped leaves its figure out, so every figure a phase fills in is
 * optional; the report renders a missing figure as '—' and judges the targets that need it as
 * not measured. Medians are field-wise medians of the runs (`medianOfRuns`), so a median field is
 * missing when no run had it.
 */

import type { LatencySummary, Percentiles } from '../lib/stats';
import type { FanOutFigures, MergedFrom, ScheduledFigures } from './results-audience';

export type * from './results-audience';

/** Per-field medians of a figure's runs; a field no run measured is absent. */
export type Medians<R> = { [K in keyof R]?: number };

/** A figure measured `settings.repeats` times: every run, and the field-wise medians. */
export interface Figure<R> {
  label: string;
  runs: R[];
  median: Medians<R>;
}

/** One autocannon (or paced) HTTP load run; latencies in ms. */
export interface HttpRun {
  rps: number;
  p50: number | undefined;
  p90: number | undefined;
  p99: number | undefined;
  p999: number | undefined;
  errors: number;
  non2xx: number;
}

/** CPU milliseconds per request spent by the api and each emulator during a load. */
export interface CpuPerRequest {
  api: number;
  dynamodb: number;
  sqs: number;
}

/** An HTTP figure; `rate` is set for a fixed-rate (paced) figure, `ideal` for the long-poll. */
export interface HttpFigure extends Figure<HttpRun> {
  /** The offered rate of a paced run, requests/s. */
  rate?: number;
  /** The best possible requests/s (long-poll: connections / waitSeconds). */
  ideal?: number;
  cpuMsPerRequest?: CpuPerRequest;
  machineBusyPercent?: number;
}

/** The HTTP figures, by key; the report knows these and renders unknown extra keys last. */
export interface HttpFigures {
  B?: HttpFigure;
  ingest?: HttpFigure;
  naive?: HttpFigure;
  statusGet?: HttpFigure;
  longPoll?: HttpFigure;
  ingestHalf?: HttpFigure;
  statusHalf?: HttpFigure;
  [key: string]: HttpFigure | undefined;
}

/** One run of the bare SDK loop (baselines/sdk-loop): iterations/s and their latencies, ms. */
export interface SdkLoopRun extends Percentiles {
  rps: number;
  total: number;
  errors: number;
}

/** One drain of a backlog by a worker variant. */
export interface WorkerRun {
  /** Steady-state rate: between the 5th and the 95th percentile arrival at the sink. */
  perSec: number;
  wholeSpanPerSec: number;
  delivered: number;
  seconds: number;
  duplicates: number;
}

/** The worker figures, by variant. */
export interface WorkerFigures {
  herald?: Figure<WorkerRun>;
  bare?: Figure<WorkerRun>;
  sqsConsumer?: Figure<WorkerRun>;
  [key: string]: Figure<WorkerRun> | undefined;
}

/** Accept → hand-off latencies of one run (ms), and the accepted markers that never arrived. */
export interface HandoffRun extends LatencySummary {
  missing: number;
}

/** Hand-off runs at one offered rate (notifications/s). */
export interface HandoffFigure extends Figure<HandoffRun> {
  rate: number;
  /** The peaks the rate was derived from (set on the half-of-end-to-end-peak figure). */
  peaks?: { endToEnd: number; ingest: number; worker: number };
}

/** AWS on-demand prices the cost is priced with. */
export interface Prices {
  perMillionWrites: number;
  perMillionReads: number;
  perMillionSqs: number;
  perMillionSnsPublishes: number;
  region: string;
  asOf: string;
}

/** Counts per delivered notification, from the counting proxy. */
export interface CostPerNotification {
  dynamoWcuTable: number;
  dynamoWcuIndexes: number;
  dynamoWcuTotal: number;
  dynamoRcu: number;
  sqsRequests: number;
  snsPublishes: number;
}

/** SQS counters of a cost run. */
export interface SqsCounts {
  entriesSent: number;
  messagesReceived: number;
  entriesDeleted: number;
  requests: number;
}

/** One cost run: notifications through the counting proxy, counted and priced. */
export interface CostRun {
  /** Paced rate (notifications/s); absent for the burst. */
  rate?: number;
  /** Both lingers (ms) of the cost-tuned run. */
  lingerMs?: number;
  notifications: number;
  handoff?: HandoffRun;
  perNotification: CostPerNotification;
  /** Write units by index name over the whole run. */
  wcuByIndex: Record<string, number>;
  /** Calls by `Service.Action` over the whole run. */
  calls: Record<string, number>;
  sqs: SqsCounts;
  pricesUsd: Prices;
  usdPerMillion: {
    dynamoWrites: number;
    dynamoReads: number;
    sqs: number;
    sns: number;
    total: number;
  };
}

/** api RSS while the backlog grows: the highest sample in each tenth. */
export interface ApiBacklogPoint {
  backlog: number;
  rssMb: number;
}

/** worker RSS while it drains the backlog: the highest sample in each tenth. */
export interface WorkerBacklogPoint {
  remaining: number;
  rssMb: number;
}

/** Memory figures (MB of RSS); each is missing when its phase did not run. */
export interface MemoryFigures {
  apiPeakMb?: number;
  workerPeakMb?: number;
  apiIdleMb?: number;
  workerIdleMb?: number;
  apiBacklog?: ApiBacklogPoint[];
  workerBacklog?: WorkerBacklogPoint[];
  backlogDrainPerSec?: number;
}

/** The machine the run was made on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  os: string;
  node: string;
  /** Set at the end of the run, from /proc/stat (Linux only). */
  cpuStealPercent?: number;
  cpuIdlePercent?: number;
}

/** Versions of what ran: the Herald commit and the packages measured or measured against. */
export interface Versions {
  herald: string;
  autocannon: string;
  dynalite: string;
  fauxqs: string;
  awsSdk: string;
  express: string;
  sqsConsumer: string;
}

/** The run's settings, from the command line (see `pnpm bench --help`). */
export interface BenchSettings {
  durationS: number;
  warmupS: number;
  repeats: number;
  connections: number;
  longPollConnections: number;
  longPollWaitSeconds: number;
  workerConcurrency: number;
  workerMessages: number;
  costNotifications: number;
  backlog: number;
  /** Subscribers of the Fan-out phase's topic. */
  fanOut: number;
  /** Notifications of the Scheduled phase. */
  scheduled: number;
}

/** A CPU profile summary (text) for the report. */
export interface ProfileSummary {
  title: string;
  text: string;
}

/** A phase that failed: the run goes on without its figure. */
export interface PhaseFailure {
  phase: string;
  error: string;
}

/** The verdict on one target; `met: null` when a figure it needs was not measured. */
export interface TargetVerdict {
  name: string;
  target: string;
  value: string;
  met: boolean | null;
  note: string;
}

/** The results object of one run (last-run.json). */
export interface BenchResults {
  startedAt: string;
  command: string;
  machine: MachineInfo;
  versions: Versions;
  settings: BenchSettings;
  http: HttpFigures;
  worker: WorkerFigures;
  memory: MemoryFigures;
  profiles: ProfileSummary[];
  /** Free-text notes from the run; the report adds an explanation of every missed target. */
  notes: string[];
  /** The bare SDK loop, batched as ingest is. */
  S?: Figure<SdkLoopRun>;
  /** The bare SDK loop with one PutItem and one SendMessage per notification. */
  Sunbatched?: Figure<SdkLoopRun>;
  /** The emulators' latency floor: the same calls one at a time (medians). */
  floor?: { ingest: Medians<SdkLoopRun>; statusRead: Medians<SdkLoopRun> };
  /** Accept → hand-off at half of the end-to-end peak. */
  handoff?: HandoffFigure;
  /** Accept → hand-off at half of min(ingest alone, worker alone). */
  handoffSoloHalf?: HandoffFigure;
  /** Steady cost at the hand-off rate with the default lingers (the targets' run). */
  cost?: CostRun;
  costBurst?: CostRun;
  costTuned?: CostRun;
  /** The fan-out of a topic send (phase Fan-out). */
  fanOut?: FanOutFigures;
  /** Scheduled direct notifications (phase Scheduled). */
  scheduled?: ScheduledFigures;
  /** With `--merge`: the phases kept from the previous run, and which run that was. */
  mergedFrom?: MergedFrom[];
  /** Ids the status phases read; the runner deletes it before saving. */
  statusIds?: string[];
  /** Set at the end of the run. */
  durationS?: number;
  failures?: PhaseFailure[];
  /** Set by the runner after writing the report; not in last-run.json. */
  targets?: TargetVerdict[];
}

/** `T` with every field optional at every depth. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * What the report renders: any part of a results object. A saved file from an older run, or a
 * run whose phases failed, renders with the missing figures as '—'.
 */
export type ReportInput = DeepPartial<BenchResults> | null | undefined;
