/**
 * The targets of issue 14's audience phases: the fan-out's child creation against a bare loop of
 * the same PutItem calls, the whole fan-out against the worker's single-notification rate, the
 * worker's RSS through the fan-out, a direct notification's queue wait during it, and the claim
 * lag of scheduled sends. Each is not measured (`met: null`) when its phase did not run.
 */
import { DASH, fmtInt, fmtMs, isNum } from './format';
import type { DeepPartial, QueueWait, ReportInput, TargetVerdict } from './results';
import { atLeastTimes, atMost, flatRss, verdict } from './target-checks';

type Results = NonNullable<ReportInput>;

/** The bound on a direct notification's accept → claim during a fan-out, ms. */
export const QUEUE_WAIT_LIMIT_MS = 1000;
/** The bound on a scheduled send's claim lag (p99), ms. */
export const SCHEDULED_LAG_LIMIT_MS = 2000;

/** The worker rate's origin, for the baseline's name in a verdict. */
const workerName = (source: unknown) =>
  source === 'backlog' ? 'worker (backlog measured in the phase)' : 'worker';

function queueWait(wait: DeepPartial<QueueWait> | undefined, idleP99: unknown): TargetVerdict {
  const name = 'Queue wait during fan-out';
  const target = `Direct notification accept → claim p99 under ${QUEUE_WAIT_LIMIT_MS / 1000} s during a fan-out`;
  const p99 = wait?.p99;
  if (!isNum(p99)) return verdict(name, target, DASH, null, 'Fan-out not measured');
  const idle = `idle p99 ${fmtMs(idleP99)} ms`;
  const value = `p99 ${fmtMs(p99)} ms over ${fmtInt(wait?.count)} probes`;
  const missing = isNum(wait?.missing) ? wait.missing : 0;
  if (missing > 0) {
    return verdict(name, target, value, false, `${fmtInt(missing)} probes never claimed; ${idle}`);
  }
  return verdict(name, target, value, p99 < QUEUE_WAIT_LIMIT_MS, idle);
}

function scheduledLag(r: Results): TargetVerdict {
  const s = r.scheduled;
  const name = 'Scheduled claim lag';
  const target = `Scheduled sends claimed within ${SCHEDULED_LAG_LIMIT_MS / 1000} s of sendAt (p99)`;
  const missing = isNum(s?.missing) ? s.missing : 0;
  const lag = atMost({
    name,
    target,
    value: s?.lag?.p99,
    limit: SCHEDULED_LAG_LIMIT_MS,
    format: (v) =>
      `p99 ${fmtMs(v)} ms (max ${fmtMs(s?.lag?.max)} ms) over ${fmtInt(s?.lag?.count)} at ${fmtInt(s?.rate)}/s`,
    what: 'Scheduled',
  });
  return missing > 0 && lag.met !== null
    ? { ...lag, met: false, note: `${fmtInt(missing)} never claimed` }
    : lag;
}

/** The verdicts of the audience targets, in the order BENCHMARKS.md lists them. */
export function audienceTargets(r: Results): TargetVerdict[] {
  const f = r.fanOut;
  const early = r.scheduled?.early;
  return [
    atLeastTimes({
      name: 'Fan-out creation vs bare loop',
      target: 'Fan-out: children created ≥ 0.5 × a bare loop of the same PutItem calls (per s)',
      value: f?.createdPerSec,
      base: f?.bareLoopPerSec,
      factor: 0.5,
      unit: 'children/s',
      what: 'Fan-out',
      baseName: 'bare loop',
    }),
    atLeastTimes({
      name: 'Fan-out vs worker',
      target: 'Fan-out: accept → last child delivered ≥ 0.9 × the worker’s rate (per s)',
      value: f?.deliveredPerSec,
      base: f?.worker?.perSec,
      factor: 0.9,
      unit: 'children/s',
      what: 'Fan-out',
      baseName: workerName(f?.worker?.source),
    }),
    flatRss({
      name: 'worker memory during fan-out',
      target:
        'worker RSS flat through a fan-out (from its 2nd tenth of children: growth ≤ 20 % or ≤ 25 MB)',
      series: f?.rss?.byTenth,
      key: 'delivered',
      keyLabel: 'children delivered',
      notMeasured: 'Fan-out not measured',
    }),
    queueWait(f?.waitDuringFanOut, f?.waitIdle?.p99),
    scheduledLag(r),
    isNum(early)
      ? verdict(
          'Scheduled early claims',
          'Scheduled sends claimed before their sendAt = 0',
          `${fmtInt(early)} of ${fmtInt(r.scheduled?.lag?.count)}`,
          early === 0,
        )
      : verdict(
          'Scheduled early claims',
          'Scheduled sends claimed before their sendAt = 0',
          DASH,
          null,
          'Scheduled not measured',
        ),
  ];
}
