import type { SendTimeAudience } from '../audience/send-time-audience';
import type { CircuitBreakers } from '../circuit-breaker';
import { audienceVerdict } from '../delivery/audience-gate';
import { deliveryLeaseMs } from '../delivery/delivery-lease';
import type { DeliveryOutcome } from '../delivery/delivery-outcome';
import { pruneGoneDevice } from '../delivery/device-pruner';
import { logIds } from '../delivery/log-ids';
import { oncePerId } from '../delivery/once-per-id';
import { createOutcomeWriter, type OutcomeWriter } from '../delivery/outcome-writer';
import { routeToProviders, type ProviderRouterDeps } from '../delivery/provider-router';
import { createRetryScheduler } from '../delivery/retry-scheduler';
import { createSuppressionGate } from '../delivery/suppression-gate';
import type { SuppressionList } from '../audience/suppression';
import type { NotificationRecord } from '../notification';
import type {
  Clock,
  DeadTargetStore,
  Logger,
  NotificationStore,
  Provider,
  StatusEventRelay,
} from '../ports';
import type { RetryPolicy } from '../retry-policy';
import type { Channel } from '../schemas/notification-request';
import { targetKeyOf } from '../target-key';
import type { Pacer } from '../token-bucket';

export type { DeliveryOutcome } from '../delivery/delivery-outcome';

export interface DeliverDeps {
  store: NotificationStore;
  /**
   * Each channel's providers in order of preference. A transient failure or an open circuit on
   * one moves the attempt to the next (failover); a permanent recipient error does not.
   */
  providers: Partial<Record<Channel, readonly Provider[]>>;
  clock: Clock;
  logger: Logger;
  retryPolicy: RetryPolicy;
  /** This worker's identity in leases. */
  workerId: string;
  /**
   * A provider call is aborted after this long (counted from the end of its pacing wait); the
   * lease covers the longest pacing wait plus this, and a margin.
   */
  sendTimeoutMs: number;
  /** The sweeper re-enqueues a released notification this long after its retry is due. */
  sweepAfterMs: number;
  /** How long to wait for a delivery receipt before the provider's acceptance counts. */
  receiptTimeoutMs: number;
  /** Pacing waits up to this long in-process; a longer wait hands the notification back. */
  maxPacingWaitMs: number;
  /** Without breakers every provider is always tried. */
  breakers?: CircuitBreakers;
  /** Without a pacer nothing is paced. */
  pacer?: Pacer;
  /** Extra headers per message (see `ProviderRouterDeps.messageHeaders`). */
  messageHeaders?: ProviderRouterDeps['messageHeaders'];
  /** Without it, no target is remembered as gone. */
  deadTargets?: DeadTargetStore;
  /**
   * Recipients' choices and devices, for notifications sent to a recipient: checked before any
   * provider (opt-out, quiet hours, erased), and a gone device is removed. Without it those
   * notifications are sent like any other.
   */
  audience?: SendTimeAudience;
  /**
   * Each client's suppression list: a suppressed address is refused (`suppressed`) before any
   * provider is asked, and a hard bounce, opt-out or gone target is added to it. Without it,
   * nothing is suppressed.
   */
  suppressions?: SuppressionList;
  /** Final statuses are recorded as owed events and handed here; the slot never waits for SNS. */
  events?: StatusEventRelay;
  random?: () => number;
}

/**
 * Delivers one notification at most once per successful claim. Claims it with a conditional
 * write (lease), tries the channel's providers in order, then records the outcome conditionally
 * on still holding the lease. A crash between a provider's acceptance and that write is the only
 * window in which a later attempt sends it again. Throws only when the store is unreachable; the
 * message is then redelivered by the queue.
 */
export function createDeliverNotification(deps: DeliverDeps) {
  const leaseMs = deliveryLeaseMs({
    longestRoute: Math.max(0, ...Object.values(deps.providers).map((p) => p?.length ?? 0)),
    maxPacingWaitMs: deps.maxPacingWaitMs,
    sendTimeoutMs: deps.sendTimeoutMs,
  });
  const writer = createOutcomeWriter(deps);
  const scheduler = createRetryScheduler({ ...deps, writer });
  const gate = createSuppressionGate(deps);
  // A second message for a notification this worker is sending right now waits until it is over.
  return oncePerId(claimAndAttempt, leaseMs);

  async function claimAndAttempt(id: string): Promise<DeliveryOutcome> {
    const now = deps.clock.now();
    const claim = await deps.store.claim(id, {
      owner: deps.workerId,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      event: { at: now.toISOString(), type: 'attempt_started' },
    });
    switch (claim.kind) {
      case 'missing':
        deps.logger.warn({ notificationId: id }, 'queued notification not found; dropping message');
        return { kind: 'missing' };
      case 'final':
        return { kind: 'done', status: claim.record.status };
      case 'leased':
        return { kind: 'retry-later', delayMs: msUntil(deps.clock, claim.until) };
      case 'not-due':
        return { kind: 'retry-later', delayMs: msUntil(deps.clock, claim.at) };
      case 'claimed':
        deps.logger.info(
          { ...logIds(claim.record), attempt: claim.record.attempts, status: 'Pending' },
          'delivery attempt started',
        );
        return attempt(claim.record);
    }
  }

  async function attempt(record: NotificationRecord): Promise<DeliveryOutcome> {
    const settled = await settleWithoutSending(deps, writer, record);
    if (settled !== undefined) return settled;
    const choice = await audienceVerdict(deps.audience, record, deps.clock.now());
    if (choice.kind === 'refuse') return writer.refuse(record, choice.code, choice.message);
    if (choice.kind === 'defer') return scheduler.deferUntil(record, choice.until);
    const verdict = await gate.check(record);
    if (verdict.kind === 'suppressed') return writer.refuse(record, 'suppressed', verdict.message);
    const sent = verdict.record;
    const candidates = (deps.providers[record.channel] ?? []).filter(
      (p) => p.supports?.(record.request) ?? true,
    );
    if (candidates.length === 0) {
      return writer.refuse(
        record,
        'channel_not_configured',
        `No provider is configured for ${record.channel}`,
      );
    }
    const targetKey = targetKeyOf(record.request);
    if (targetKey !== undefined && (await deps.deadTargets?.isDead(targetKey))) {
      await pruneGoneDevice(deps, record);
      return writer.refuse(record, 'subscription_gone', 'The target is known to be gone; not sent');
    }
    const route = await routeToProviders(deps, sent, candidates);
    switch (route.kind) {
      case 'sent':
        return writer.accepted(record, route.provider, route.result, route.failures);
      case 'paced':
        return scheduler.deferForPacing(record, route.provider, route.waitMs);
      case 'refused':
        await gate.learn(sent, route.failure.reasonCode);
        return writer.refuseForGood(record, route.failure, targetKey);
      case 'failed':
        return scheduler.retryLater(record, route.last);
      case 'unsupported':
        return writer.refuse(
          record,
          'channel_not_configured',
          `No configured ${record.channel} provider handles this target`,
        );
    }
  }
}

/** The checks that end an attempt before any provider is asked: receipt timed out, expired. */
async function settleWithoutSending(
  deps: DeliverDeps,
  writer: OutcomeWriter,
  record: NotificationRecord,
): Promise<DeliveryOutcome | undefined> {
  if (record.awaitingReceiptUntil !== undefined && record.provider && record.providerMessageId) {
    // No receipt came in time: the provider accepted it, which is what Delivered means without one.
    return writer.finish(
      record,
      {
        status: 'Delivered',
        provider: record.provider,
        providerMessageId: record.providerMessageId,
      },
      { receipt: 'timeout' },
    );
  }
  const expiresAt = record.request.expiresAt;
  if (expiresAt !== undefined && Date.parse(expiresAt) <= deps.clock.now().getTime()) {
    return writer.refuse(record, 'expired', `Not sent before it expired at ${expiresAt}`);
  }
  return undefined;
}

function msUntil(clock: Clock, iso: string): number {
  return Math.max(1_000, Date.parse(iso) - clock.now().getTime());
}
