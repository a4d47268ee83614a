import type { PostCounts } from './api-client';
import type { Regression } from './final-statuses';
import type { SoakConfig } from './options';
import { peakMb, perMinute, type RssMinute, type RssSample } from './rss';
import type { SmtpCounter } from './smtp-counter';
import type { WorkerGeneration, WorkerGenerations } from './worker-generations';

/** An id the SMTP server received more than once, and whether a kill explains it. */
export interface DuplicateSend {
  id: string;
  sends: number;
  atMs: number[];
  cutByKill: boolean;
  killedGens: number[];
  openAtSigterm: number[];
}

/** n, min, median and max of some durations (ms); empty when there were none. */
export interface Spread {
  n?: number;
  min?: number;
  p50?: number;
  max?: number;
}

/** What the soak writes to its last-run.json and prints. */
export interface SoakResult {
  mode: SoakConfig['mode'];
  config: SoakConfig;
  startedAt: string;
  elapsedSeconds: number;
  trafficSeconds: number;
  drainSeconds: number;
  accepted: number;
  delivered: number;
  refused: number;
  lost: number;
  stuckPending: number;
  notFound: number;
  lostIds: string[];
  statusRegressions: number;
  regressions: Regression[];
  finalStatusesTracked: number;
  post: PostCounts;
  smtp: {
    sends: number;
    distinctIds: number;
    sendsWithoutId: number;
    sendsForUnacceptedIds: number;
    connections: number;
  };
  duplicates: number;
  duplicateSendsExtra: number;
  duplicatesCutByKill: number;
  duplicatesNotCutByKill: number;
  duplicateDetails: DuplicateSend[];
  deliveredWithoutSmtpSend: number;
  worker: {
    generations: number;
    sigkills: number;
    sigterms: number;
    sigtermsThatNeededSigkill: number;
    attemptsOpenAtSigkill: number;
    attemptsOpenAtSigterm: number;
    startMs: Spread;
    stopMs: Spread;
    deliveredLogLines: number;
  };
  rss: { peakApiMB: number; peakWorkerMB: number; peakEmulatorsMB: number; perMinute: RssMinute[] };
}

/** Everything the run observed, for `soakFigures`. */
export interface SoakObservations {
  config: SoakConfig;
  startedAt: Date;
  elapsedSeconds: number;
  /** Ms since the start at which the traffic ended, and at which the drain ended. */
  trafficEndedAt: number;
  drainedAt: number;
  accepted: readonly string[];
  acceptedSet: ReadonlySet<string>;
  /** The last status read per accepted id. */
  last: ReadonlyMap<string, string>;
  finalSeen: ReadonlyMap<string, string>;
  regressions: readonly Regression[];
  post: PostCounts;
  smtp: SmtpCounter;
  workers: WorkerGenerations;
  /** The generation still running at the end (ended by the harness, not part of a fault). */
  finalWorker: WorkerGeneration | undefined;
  rssSamples: readonly RssSample[];
}

function spread(xs: readonly number[]): Spread {
  if (xs.length === 0) return {};
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, min: s[0], p50: s[Math.floor(s.length / 2)], max: s.at(-1) };
}

/** The ids whose attempt was open when a generation ended, by SIGKILL and by SIGTERM. */
function openAttempts(o: SoakObservations) {
  const atKill = new Map<string, number[]>();
  const atTerm = new Map<string, number[]>();
  for (const g of o.workers.all) {
    const target = g.ended === 'SIGKILL' || g.ended === 'SIGTERM→SIGKILL' ? atKill : atTerm;
    if (g === o.finalWorker) continue;
    for (const id of g.openAtEnd) target.set(id, [...(target.get(id) ?? []), g.n]);
  }
  return { atKill, atTerm };
}

/** The soak's figures: what was lost, what changed, what was sent twice and why, memory. */
export function soakFigures(o: SoakObservations): SoakResult {
  const counts: Record<string, number> = {
    Delivered: 0,
    Refused: 0,
    Pending: 0,
    NotFound: 0,
    Error: 0,
  };
  const lastOf = (id: string) => o.last.get(id) ?? 'Error';
  for (const id of o.accepted) counts[lastOf(id)] = (counts[lastOf(id)] ?? 0) + 1;
  const lostIds = o.accepted.filter((id) => !['Delivered', 'Refused'].includes(lastOf(id)));
  const open = openAttempts(o);
  const dups: DuplicateSend[] = [...o.smtp.perId.entries()]
    .filter(([, e]) => e.count > 1)
    .map(([id, e]) => ({
      id,
      sends: e.count,
      atMs: e.at,
      cutByKill: open.atKill.has(id),
      killedGens: open.atKill.get(id) ?? [],
      openAtSigterm: open.atTerm.get(id) ?? [],
    }));
  const deliveredWithoutSend = o.accepted.filter(
    (id) => o.last.get(id) === 'Delivered' && !o.smtp.perId.has(id),
  );
  const sentNotAccepted = [...o.smtp.perId.keys()].filter((id) => !o.acceptedSet.has(id)).length;
  const { restarts, all: workers } = o.workers;
  return {
    mode: o.config.mode,
    config: o.config,
    startedAt: o.startedAt.toISOString(),
    elapsedSeconds: o.elapsedSeconds,
    trafficSeconds: o.trafficEndedAt / 1000,
    drainSeconds: (o.drainedAt - o.trafficEndedAt) / 1000,
    accepted: o.accepted.length,
    delivered: counts.Delivered ?? 0,
    refused: counts.Refused ?? 0,
    lost: lostIds.length,
    stuckPending: counts.Pending ?? 0,
    notFound: counts.NotFound ?? 0,
    lostIds: lostIds.slice(0, 50),
    statusRegressions: o.regressions.length,
    regressions: o.regressions.slice(0, 50),
    finalStatusesTracked: o.finalSeen.size,
    post: { ...o.post },
    smtp: {
      sends: o.smtp.sends,
      distinctIds: o.smtp.perId.size,
      sendsWithoutId: o.smtp.unknownIdSends,
      sendsForUnacceptedIds: sentNotAccepted,
      connections: o.smtp.connections,
    },
    duplicates: dups.length,
    duplicateSendsExtra: dups.reduce((n, d) => n + d.sends - 1, 0),
    duplicatesCutByKill: dups.filter((d) => d.cutByKill).length,
    duplicatesNotCutByKill: dups.filter((d) => !d.cutByKill).length,
    duplicateDetails: dups.slice(0, 200),
    deliveredWithoutSmtpSend: deliveredWithoutSend.length,
    worker: {
      generations: workers.length,
      sigkills: restarts.sigkill,
      sigterms: restarts.sigterm,
      sigtermsThatNeededSigkill: restarts.sigtermForcedKill,
      attemptsOpenAtSigkill: open.atKill.size,
      attemptsOpenAtSigterm: open.atTerm.size,
      startMs: spread(restarts.startMs),
      stopMs: spread(
        workers.flatMap((w) => (w.stopMs !== undefined && w.ended !== 'SIGKILL' ? [w.stopMs] : [])),
      ),
      deliveredLogLines: workers.reduce((n, w) => n + w.delivered, 0),
    },
    rss: {
      peakApiMB: peakMb(o.rssSamples, 'api'),
      peakWorkerMB: peakMb(o.rssSamples, 'worker'),
      peakEmulatorsMB: peakMb(o.rssSamples, 'emulators'),
      perMinute: perMinute(o.rssSamples),
    },
  };
}
