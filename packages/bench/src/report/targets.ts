/**
 * The verdict on each of the 22 targets (the audience phases' six in targets-audience.ts). A target whose figure is missing comes out as not
 * measured (`met: null`), never as met or failed: a benchmark that did not run proves nothing
 * either way.
 */
import {
  DASH,
  fmt2,
  fmtInt,
  fmtMs,
  isNum,
  med,
  runsOf,
  type FigureLike,
  type RunLike,
} from './format';
import type { DeepPartial, HttpFigures, ReportInput, TargetVerdict } from './results';
import { atLeastTimes, atMost, flatRss, peakRss, verdict } from './target-checks';
import { audienceTargets } from './targets-audience';

const ms = (v: unknown) => `${fmtMs(v)} ms`;
const perNotification = (v: unknown) => `${fmt2(v)} per notification`;
const atRate = (rate: unknown, unit: string) => (isNum(rate) ? ` at ${fmtInt(rate)} ${unit}` : '');

type Http = DeepPartial<HttpFigures>;

function ingestErrors(http: Http): TargetVerdict {
  const name = 'Ingest errors';
  const target = 'Ingest errors = 0 (errors + non-2xx, full load and half of peak)';
  const phases: [string, FigureLike | undefined][] = [
    ['Ingest', http.ingest],
    ['Ingest at half of peak', http.ingestHalf],
  ];
  let errors = 0;
  let non2xx = 0;
  let runs = 0;
  const missing: string[] = [];
  const counted = (x: RunLike) => isNum(x.errors) || isNum(x.non2xx);
  for (const [what, fig] of phases) {
    let samples = runsOf(fig).filter(counted);
    // Without per-run figures a median is the best evidence there is; better than nothing.
    if (samples.length === 0 && fig?.median && counted(fig.median)) samples = [fig.median];
    if (samples.length === 0) missing.push(what);
    for (const s of samples) {
      errors += isNum(s.errors) ? s.errors : 0;
      non2xx += isNum(s.non2xx) ? s.non2xx : 0;
    }
    runs += samples.length;
  }
  if (runs === 0) return verdict(name, target, DASH, null, 'ingest not measured');
  const value = `${fmtInt(errors)} errors + ${fmtInt(non2xx)} non-2xx over ${runs} runs`;
  const note = missing.length ? `${missing.join(', ')} not measured` : '';
  // Any error fails the target; zero errors in only some phases says nothing about the others.
  const met = errors + non2xx > 0 ? false : missing.length ? null : true;
  return verdict(name, target, value, met, note);
}

function statusP99(http: Http): TargetVerdict {
  const half = med(http.statusHalf, 'p99');
  const useHalf = isNum(half);
  return atMost({
    name: 'Status GET p99',
    target: 'Status GET p99 ≤ 15 ms',
    value: useHalf ? half : med(http.statusGet, 'p99'),
    limit: 15,
    format: (v) => `${ms(v)}${useHalf ? atRate(http.statusHalf?.rate, 'req/s') : ''}`,
    what: 'Status GET',
    note: useHalf ? 'Status GET at half of peak' : 'Status GET at full load (no half-of-peak run)',
  });
}

function dynamoWrites(cost: NonNullable<ReportInput>['cost']): TargetVerdict {
  const per = cost?.perNotification ?? {};
  const total = isNum(per.dynamoWcuTotal)
    ? per.dynamoWcuTotal
    : isNum(per.dynamoWcuTable) && isNum(per.dynamoWcuIndexes)
      ? per.dynamoWcuTable + per.dynamoWcuIndexes
      : undefined;
  return atMost({
    name: 'DynamoDB writes',
    target: '≤ 3 DynamoDB write units per delivered notification',
    value: total,
    limit: 3,
    format: (v) => `${fmt2(v)} WCU per notification`,
    what: 'DynamoDB write units',
    note: `table ${fmt2(per.dynamoWcuTable)} + indexes ${fmt2(per.dynamoWcuIndexes)}`,
  });
}

/** The verdict on every target, in the order BENCHMARKS.md lists them. */
export function evaluateTargets(results: ReportInput): TargetVerdict[] {
  const r = results ?? {};
  const http = r.http ?? {};
  const worker = r.worker ?? {};
  const handoff = r.handoff;
  const memory = r.memory ?? {};
  const rps = (fig: FigureLike | undefined) => med(fig, 'rps');
  const perSec = (fig: FigureLike | undefined) => med(fig, 'perSec');
  return [
    atLeastTimes({
      name: 'Ingest vs bare SDK loop',
      target: 'Ingest ≥ 0.9 × S (req/s)',
      value: rps(http.ingest),
      base: rps(r.S),
      factor: 0.9,
      unit: 'req/s',
      what: 'Ingest',
      baseName: 'S',
    }),
    atLeastTimes({
      name: 'Ingest vs naive',
      target: 'Ingest ≥ 1.5 × Naive (req/s)',
      value: rps(http.ingest),
      base: rps(http.naive),
      factor: 1.5,
      unit: 'req/s',
      what: 'Ingest',
      baseName: 'Naive',
    }),
    ingestErrors(http),
    atMost({
      name: 'Ingest p99 at half of peak',
      target: 'Ingest p99 ≤ 25 ms at half of peak',
      value: med(http.ingestHalf, 'p99'),
      limit: 25,
      format: (v) => `${ms(v)}${atRate(http.ingestHalf?.rate, 'req/s')}`,
      what: 'Ingest at half of peak',
    }),
    atLeastTimes({
      name: 'Status GET vs bare HTTP',
      target: 'Status GET ≥ 0.4 × B (req/s)',
      value: rps(http.statusGet),
      base: rps(http.B),
      factor: 0.4,
      unit: 'req/s',
      what: 'Status GET',
      baseName: 'B',
    }),
    statusP99(http),
    atLeastTimes({
      name: 'Worker vs bare loop',
      target: 'Worker ≥ 0.9 × bare loop (notifications/s)',
      value: perSec(worker.herald),
      base: perSec(worker.bare),
      factor: 0.9,
      unit: 'notifications/s',
      what: 'Herald worker',
      baseName: 'bare loop',
    }),
    atLeastTimes({
      name: 'Worker vs sqs-consumer',
      target: 'Worker ≥ 1.5 × sqs-consumer (notifications/s)',
      value: perSec(worker.herald),
      base: perSec(worker.sqsConsumer),
      factor: 1.5,
      unit: 'notifications/s',
      what: 'Herald worker',
      baseName: 'sqs-consumer',
    }),
    atMost({
      name: 'Hand-off p50',
      target: 'Accept → hand-off p50 ≤ 50 ms',
      value: med(handoff, 'p50'),
      limit: 50,
      format: (v) => `${ms(v)}${atRate(handoff?.rate, 'notifications/s')}`,
      what: 'Hand-off',
    }),
    atMost({
      name: 'Hand-off p99',
      target: 'Accept → hand-off p99 ≤ 250 ms',
      value: med(handoff, 'p99'),
      limit: 250,
      format: (v) => `${ms(v)}${atRate(handoff?.rate, 'notifications/s')}`,
      what: 'Hand-off',
    }),
    dynamoWrites(r.cost),
    atMost({
      name: 'SQS requests',
      target: '≤ 0.5 SQS requests per delivered notification',
      value: r.cost?.perNotification?.sqsRequests,
      limit: 0.5,
      format: perNotification,
      what: 'SQS requests',
    }),
    peakRss({
      name: 'api memory',
      target: 'api ≤ 200 MB RSS at peak',
      peak: memory.apiPeakMb,
      backlog: memory.apiBacklog ?? [],
      limit: 200,
    }),
    peakRss({
      name: 'worker memory',
      target: 'worker ≤ 200 MB RSS at peak',
      peak: memory.workerPeakMb,
      backlog: memory.workerBacklog ?? [],
      limit: 200,
    }),
    flatRss({
      name: 'api memory under backlog',
      target: 'api RSS flat while the backlog grows (from its 2nd tenth: growth ≤ 20 % or ≤ 25 MB)',
      series: memory.apiBacklog,
      key: 'backlog',
      keyLabel: 'backlog',
    }),
    flatRss({
      name: 'worker memory under backlog',
      target:
        'worker RSS flat while it drains the backlog (from its 2nd tenth: growth ≤ 20 % or ≤ 25 MB)',
      series: memory.workerBacklog,
      key: 'remaining',
      keyLabel: 'remaining',
    }),
    ...audienceTargets(r),
  ];
}
