import type { ProviderError } from '../errors';
import type { NotificationEvent, NotificationRecord } from '../notification';
import type { Clock, Logger, NotificationStore } from '../ports';
import { backoffDelayMs, type RetryPolicy } from '../retry-policy';
import type { DeliveryOutcome } from './delivery-outcome';
import { logIds } from './log-ids';
import type { OutcomeWriter } from './outcome-writer';

export interface RetrySchedulerDeps {
  store: NotificationStore;
  clock: Clock;
  logger: Logger;
  /** The lease owner: a release is conditional on this worker still holding the lease. */
  workerId: string;
  retryPolicy: RetryPolicy;
  /** The sweeper re-enqueues a notification this long after its retry is due, if nobody took it. */
  sweepAfterMs: number;
  /** Gives up (retries exhausted) through this writer. */
  writer: OutcomeWriter;
  random?: () => number;
}

/** Hands a claimed notification back to the queue for a later attempt. */
export interface RetryScheduler {
  /**
   * After a transient failure: schedules the next attempt with backoff, or, when the attempts
   * are used up, refuses it with `retries_exhausted`.
   */
  retryLater(record: NotificationRecord, failure: ProviderError): Promise<DeliveryOutcome>;
  /** Nothing was sent (the pacing wait is too long): comes back after the wait, attempt refunded. */
  deferForPacing(
    record: NotificationRecord,
    provider: string,
    waitMs: number,
  ): Promise<DeliveryOutcome>;
  /**
   * Nothing was sent (the recipient's quiet hours): comes back at `until`, attempt refunded, with
   * a `deferred` event (`detail.until`).
   */
  deferUntil(record: NotificationRecord, until: Date): Promise<DeliveryOutcome>;
}

/** Builds the scheduler; it never throws except when the store is unreachable. */
export function createRetryScheduler(deps: RetrySchedulerDeps): RetryScheduler {
  async function release(
    record: NotificationRecord,
    delayMs: number,
    event: Omit<NotificationEvent, 'at'>,
    refundAttempt: boolean,
  ): Promise<void> {
    const now = deps.clock.now();
    const nextAttemptAt = new Date(now.getTime() + delayMs).toISOString();
    const held = await deps.store.scheduleRetry(record.id, {
      owner: deps.workerId,
      now: now.toISOString(),
      nextAttemptAt,
      sweepAt: new Date(now.getTime() + delayMs + deps.sweepAfterMs).toISOString(),
      event: {
        ...event,
        at: now.toISOString(),
        detail: { ...event.detail, retryAt: nextAttemptAt },
      },
      refundAttempt,
      ...(record.lane === undefined ? {} : { lane: record.lane }),
    });
    if (!held)
      deps.logger.warn(
        logIds(record),
        'lease lost before the retry was scheduled; another worker owns it',
      );
  }

  return {
    async retryLater(record, failure) {
      const attemptNo = record.attempts;
      if (attemptNo >= deps.retryPolicy.maxAttempts) {
        return deps.writer.finish(record, {
          status: 'Refused',
          provider: failure.provider,
          reason: {
            code: 'retries_exhausted',
            message: `Gave up after ${attemptNo} attempts: ${failure.message}`,
          },
        });
      }
      // A provider's Retry-After is a floor, never a way past the policy's cap.
      const delayMs = Math.max(
        backoffDelayMs(deps.retryPolicy, attemptNo, deps.random),
        Math.min(failure.retryAfterMs ?? 0, deps.retryPolicy.maxDelayMs),
      );
      const detail: Record<string, string | number> = {
        attempt: attemptNo,
        provider: failure.provider,
        code: failure.reasonCode,
      };
      if (failure.providerCode !== undefined) detail.providerCode = failure.providerCode;
      await release(record, delayMs, { type: 'attempt_failed', detail }, false);
      deps.logger.warn(
        {
          ...logIds(record),
          provider: failure.provider,
          attempt: attemptNo,
          status: 'Pending',
          reason: failure.reasonCode,
          retryInMs: delayMs,
        },
        'delivery attempt failed; will retry',
      );
      return { kind: 'retry-later', delayMs };
    },

    async deferForPacing(record, provider, waitMs) {
      // Nothing was sent: the attempt is refunded, so pacing never uses up retries.
      await release(
        record,
        waitMs,
        { type: 'attempt_failed', detail: { provider, code: 'paced', retryInMs: waitMs } },
        true,
      );
      deps.logger.info(
        { ...logIds(record), provider, status: 'Pending', retryInMs: waitMs },
        'paced; will send later',
      );
      return { kind: 'retry-later', delayMs: waitMs };
    },

    async deferUntil(record, until) {
      const delayMs = Math.max(0, until.getTime() - deps.clock.now().getTime());
      const untilIso = until.toISOString();
      // Nothing was sent: refunded like a pacing wait, so a long night never uses up retries.
      await release(record, delayMs, { type: 'deferred', detail: { until: untilIso } }, true);
      deps.logger.info(
        { ...logIds(record), status: 'Pending', retryInMs: delayMs },
        "deferred to the end of the recipient's quiet hours",
      );
      return { kind: 'retry-later', delayMs };
    },
  };
}
