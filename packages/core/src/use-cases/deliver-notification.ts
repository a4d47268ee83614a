import { breakerKeyOf } from '../breaker-key';
import type { CircuitBreakers } from '../circuit-breaker';
import { ProviderError } from '../errors';
import type { RefusalCode } from '../refusal-code';
import type { NotificationEvent, NotificationRecord, NotificationStatus } from '../notification';
import type {
  AttemptOutcome,
  Clock,
  DeadTargetStore,
  Logger,
  NotificationStore,
  Provider,
  SendResult,
  StatusEventRelay,
} from '../ports';
import { backoffDelayMs, type RetryPolicy } from '../retry-policy';
import type { Channel } from '../schemas/notification-request';
import { settledRecord, statusEventId, statusEventOf } from '../status-event';
import { targetKeyOf } from '../target-key';
import { unpaced, type Pacer } from '../token-bucket';

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
  sweepAfterMs: number;
  /** How long to wait for a delivery receipt before the provider's acceptance counts. */
  receiptTimeoutMs?: number;
  breakers?: CircuitBreakers;
  pacer?: Pacer;
  /** Pacing waits up to this long in-process; a longer wait hands the notification back. */
  maxPacingWaitMs?: number;
  deadTargets?: DeadTargetStore;
  /** Final statuses are recorded as owed events and handed here; the slot never waits for SNS. */
  events?: StatusEventRelay;
  random?: () => number;
}

/** What the queue consumer does with the message. */
export type DeliveryOutcome =
  | { kind: 'done'; status: NotificationStatus } // ack: final, or waiting only for a receipt
  | { kind: 'retry-later'; delayMs: number } // keep the message, make it visible after the delay
  | { kind: 'missing' }; // ack: nothing to deliver

/** The lease outlives the send timeout by this much (at most), so the outcome write fits in it. */
const MAX_LEASE_MARGIN_MS = 30_000;
const DEFAULT_MAX_PACING_WAIT_MS = 2_000;
const DEFAULT_RECEIPT_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/**
 * Delivers one notification at most once per successful claim. Claims it with a conditional
 * write (lease), tries the channel's providers in order, then records the outcome conditionally
 * on still holding the lease. A crash between a provider's acceptance and that write is the only
 * window in which a later attempt sends it again. Throws only when the store is unreachable; the
 * message is then redelivered by the queue.
 */
export function createDeliverNotification(deps: DeliverDeps) {
  // A lease that ran out during an attempt would let a second worker claim and send the same
  // notification, so it covers the longest attempt: every provider of the longest route (failover
  // tries them in turn), each with its pacing wait and up to twice the send timeout (a provider
  // with a connection pool, SMTP, may queue for a connection for up to the send timeout and then
  // gives the held connection the full send timeout), plus a margin for the outcome write.
  const longestRoute = Math.max(1, ...Object.values(deps.providers).map((p) => p?.length ?? 0));
  const leaseMs =
    longestRoute * (maxPacingWaitOf(deps) + 2 * deps.sendTimeoutMs) +
    Math.min(MAX_LEASE_MARGIN_MS, deps.sendTimeoutMs);
  // The lease lets its owner claim again (a restarted worker with the same id), so a second
  // message for a notification this worker is sending right now (a sweeper re-enqueue, an SQS
  // duplicate) would be claimed and sent twice: keep such a message until this attempt is over.
  const inFlight = new Set<string>();
  return async function deliverNotification(id: string): Promise<DeliveryOutcome> {
    if (inFlight.has(id)) return { kind: 'retry-later', delayMs: leaseMs };
    inFlight.add(id);
    try {
      return await claimAndAttempt(id);
    } finally {
      inFlight.delete(id);
    }
  };

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
        return { kind: 'retry-later', delayMs: msUntil(deps, claim.until) };
      case 'not-due':
        return { kind: 'retry-later', delayMs: msUntil(deps, claim.at) };
      case 'claimed':
        deps.logger.info(
          { ...logIds(claim.record), attempt: claim.record.attempts, status: 'Pending' },
          'delivery attempt started',
        );
        return attempt(deps, claim.record);
    }
  }
}

async function attempt(deps: DeliverDeps, record: NotificationRecord): Promise<DeliveryOutcome> {
  if (record.awaitingReceiptUntil !== undefined && record.provider && record.providerMessageId) {
    // No receipt came in time: the provider accepted it, which is what Delivered means without one.
    return finish(
      deps,
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
    return refuse(deps, record, 'expired', `Not sent before it expired at ${expiresAt}`);
  }
  const candidates = (deps.providers[record.channel] ?? []).filter(
    (p) => p.supports?.(record.request) ?? true,
  );
  if (candidates.length === 0) {
    return refuse(
      deps,
      record,
      'channel_not_configured',
      `No provider is configured for ${record.channel}`,
    );
  }
  const targetKey = targetKeyOf(record.request);
  if (targetKey !== undefined && (await deps.deadTargets?.isDead(targetKey))) {
    return refuse(deps, record, 'subscription_gone', 'The target is known to be gone; not sent');
  }
  return tryProviders(deps, record, candidates, targetKey);
}

async function tryProviders(
  deps: DeliverDeps,
  record: NotificationRecord,
  candidates: readonly Provider[],
  targetKey: string | undefined,
): Promise<DeliveryOutcome> {
  const failures: ProviderError[] = [];
  for (const provider of candidates) {
    const breakerKey = breakerKeyOf(provider.name, record.clientId, record.request);
    if (deps.breakers && !deps.breakers.canTry(breakerKey)) {
      failures.push(
        new ProviderError(provider.name, true, `${provider.name} circuit is open`, {
          reasonCode: 'circuit_open',
        }),
      );
      continue;
    }
    const call = await callProvider(deps, record, provider);
    reportToBreaker(deps.breakers, breakerKey, call);
    if (call.kind === 'paced') return deferForPacing(deps, record, provider.name, call.waitMs);
    if (call.kind === 'sent') return accepted(deps, record, provider, call.result, failures);
    const failure = call.failure;
    if (failure.reasonCode === 'target_not_supported') continue;
    if (!failure.retryable) return refuseForGood(deps, record, failure, targetKey);
    deps.logger.warn(
      {
        ...logIds(record),
        provider: provider.name,
        reason: failure.reasonCode,
        providerCode: failure.providerCode,
      },
      'provider failed transiently; trying the next one',
    );
    failures.push(failure);
  }
  const last = failures.at(-1);
  if (last === undefined) {
    return refuse(
      deps,
      record,
      'channel_not_configured',
      `No configured ${record.channel} provider handles this target`,
    );
  }
  return retryLater(deps, record, last);
}

/** One provider call's result; `callProvider` never throws. */
type ProviderCall =
  | { kind: 'sent'; result: SendResult }
  | { kind: 'paced'; waitMs: number } // not sent: the wait for a slot is beyond the maximum
  | { kind: 'failed'; failure: ProviderError };

/**
 * Books a pacing slot (waiting for it in-process up to the maximum), then sends with the send
 * timeout, which starts only once the slot is due. Any exception becomes a transient failure.
 */
async function callProvider(
  deps: DeliverDeps,
  record: NotificationRecord,
  provider: Provider,
): Promise<ProviderCall> {
  try {
    const slot = (deps.pacer ?? unpaced).schedule(provider.name, maxPacingWaitOf(deps));
    if (!slot.reserved) return { kind: 'paced', waitMs: slot.waitMs };
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    const result = await provider.send(
      { notificationId: record.id, clientId: record.clientId, request: record.request },
      AbortSignal.timeout(deps.sendTimeoutMs),
    );
    return { kind: 'sent', result };
  } catch (err) {
    const failure =
      err instanceof ProviderError
        ? err
        : new ProviderError(provider.name, true, 'Provider call failed unexpectedly', {
            cause: err,
          });
    return { kind: 'failed', failure };
  }
}

/**
 * Every call that `canTry` let through reports exactly once, so a half-open trial always ends:
 * an answer closes the circuit (a permanent error is about the message, not the provider's
 * health), a transient failure counts (and re-opens a trial), and a call that never reached the
 * provider (paced, target not supported) frees the trial for the next one.
 */
function reportToBreaker(breakers: CircuitBreakers | undefined, key: string, call: ProviderCall) {
  if (breakers === undefined) return;
  if (call.kind === 'sent') breakers.success(key);
  else if (call.kind === 'paced' || call.failure.reasonCode === 'target_not_supported')
    breakers.release(key);
  else if (call.failure.retryable) breakers.failure(key);
  else breakers.success(key);
}

function accepted(
  deps: DeliverDeps,
  record: NotificationRecord,
  provider: Provider,
  result: SendResult,
  failures: readonly ProviderError[],
): Promise<DeliveryOutcome> {
  const failover: Record<string, string> = {};
  if (failures.length > 0) {
    failover.failedOver = failures.map((f) => `${f.provider}:${f.reasonCode}`).join(',');
  }
  const outcome: AttemptOutcome = result.awaitingReceipt
    ? {
        status: 'Pending',
        provider: provider.name,
        providerMessageId: result.providerMessageId,
        until: new Date(
          deps.clock.now().getTime() + (deps.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS),
        ).toISOString(),
      }
    : {
        status: 'Delivered',
        provider: provider.name,
        providerMessageId: result.providerMessageId,
      };
  return finish(deps, record, outcome, failover);
}

async function refuseForGood(
  deps: DeliverDeps,
  record: NotificationRecord,
  failure: ProviderError,
  targetKey: string | undefined,
): Promise<DeliveryOutcome> {
  if (failure.deadTarget && targetKey !== undefined && deps.deadTargets) {
    await deps.deadTargets.markDead(targetKey, {
      reason: failure.reasonCode,
      at: deps.clock.now().toISOString(),
    });
  }
  return finish(deps, record, {
    status: 'Refused',
    provider: failure.provider,
    reason: { code: failure.reasonCode, message: failure.message },
  });
}

async function retryLater(
  deps: DeliverDeps,
  record: NotificationRecord,
  failure: ProviderError,
): Promise<DeliveryOutcome> {
  const attemptNo = record.attempts;
  if (attemptNo >= deps.retryPolicy.maxAttempts) {
    return finish(deps, record, {
      status: 'Refused',
      provider: failure.provider,
      reason: {
        code: 'retries_exhausted',
        message: `Gave up after ${attemptNo} attempts: ${failure.message}`,
      },
    });
  }
  const delayMs = backoffDelayMs(deps.retryPolicy, attemptNo, deps.random);
  const detail: Record<string, string | number> = {
    attempt: attemptNo,
    provider: failure.provider,
    code: failure.reasonCode,
  };
  if (failure.providerCode !== undefined) detail.providerCode = failure.providerCode;
  await release(deps, record, delayMs, { type: 'attempt_failed', detail }, false);
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
}

async function deferForPacing(
  deps: DeliverDeps,
  record: NotificationRecord,
  provider: string,
  waitMs: number,
): Promise<DeliveryOutcome> {
  // Nothing was sent: the attempt is refunded, so pacing never uses up retries.
  await release(
    deps,
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
}

async function release(
  deps: DeliverDeps,
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
    event: { ...event, at: now.toISOString(), detail: { ...event.detail, retryAt: nextAttemptAt } },
    refundAttempt,
  });
  if (!held)
    deps.logger.warn(
      logIds(record),
      'lease lost before the retry was scheduled; another worker owns it',
    );
}

function refuse(deps: DeliverDeps, record: NotificationRecord, code: RefusalCode, message: string) {
  return finish(deps, record, { status: 'Refused', reason: { code, message } });
}

async function finish(
  deps: DeliverDeps,
  record: NotificationRecord,
  outcome: AttemptOutcome,
  extra: Record<string, string> = {},
): Promise<DeliveryOutcome> {
  const at = deps.clock.now().toISOString();
  const event: NotificationEvent =
    outcome.status === 'Refused'
      ? { at, type: 'refused', detail: { code: outcome.reason.code, ...extra } }
      : outcome.status === 'Delivered' && record.awaitingReceiptUntil !== undefined
        ? { at, type: 'delivered', detail: { provider: outcome.provider, ...extra } }
        : {
            at,
            type: 'provider_accepted',
            detail: {
              provider: outcome.provider,
              providerMessageId: outcome.providerMessageId,
              ...(outcome.status === 'Pending' ? { awaitingReceipt: true } : {}),
              ...extra,
            },
          };
  const written = await deps.store.complete(record.id, {
    owner: deps.workerId,
    now: at,
    outcome,
    event,
    ...owedEventOf(deps, record.id, outcome),
  });
  const fields = {
    ...logIds(record),
    provider: outcome.provider,
    attempt: record.attempts,
    status: outcome.status,
    reason: outcome.status === 'Refused' ? outcome.reason.code : undefined,
  };
  if (!written) {
    deps.logger.warn(fields, 'lease lost before the outcome was written; another worker owns it');
  } else if (outcome.status === 'Pending') {
    deps.logger.info(fields, 'provider accepted; waiting for the delivery receipt');
    return applyParkedReceipt(deps, record.id, outcome.providerMessageId);
  } else {
    deps.logger.info(fields, `notification ${outcome.status.toLowerCase()}`);
    deps.events?.relay(statusEventOf(settledRecord(record, outcome, at)));
  }
  return { kind: 'done', status: outcome.status };
}

/**
 * A receipt can beat the write of the provider's message id (Twilio calls back fast); it is then
 * parked on the notification. Now that the id is stored, apply it, as the receipt route would.
 */
async function applyParkedReceipt(
  deps: DeliverDeps,
  id: string,
  providerMessageId: string,
): Promise<DeliveryOutcome> {
  const current = await deps.store.get(id);
  const parked = current?.parkedReceipts?.find((p) => p.providerMessageId === providerMessageId);
  if (!current || !parked) return { kind: 'done', status: 'Pending' };
  const applied = await deps.store.recordReceipt(id, {
    now: parked.event.at,
    providerMessageId,
    outcome: parked.outcome,
    event: parked.event,
    ...owedEventOf(deps, id, parked.outcome),
  });
  if (!applied) return { kind: 'done', status: 'Pending' };
  deps.logger.info(
    { ...logIds(current), provider: parked.outcome.provider, status: parked.outcome.status },
    `notification ${parked.outcome.status.toLowerCase()} by an early receipt`,
  );
  deps.events?.relay(statusEventOf(settledRecord(current, parked.outcome, parked.event.at)));
  return { kind: 'done', status: parked.outcome.status };
}

/** A final write owes a status event when events are published at all. */
function owedEventOf(
  deps: DeliverDeps,
  id: string,
  outcome: AttemptOutcome,
): { owedEventId?: string } {
  return deps.events && outcome.status !== 'Pending'
    ? { owedEventId: statusEventId(id, outcome.status) }
    : {};
}

function logIds(record: NotificationRecord) {
  return { notificationId: record.id, clientId: record.clientId, channel: record.channel };
}

function maxPacingWaitOf(deps: DeliverDeps): number {
  return deps.maxPacingWaitMs ?? DEFAULT_MAX_PACING_WAIT_MS;
}

function msUntil(deps: DeliverDeps, iso: string): number {
  return Math.max(1_000, Date.parse(iso) - deps.clock.now().getTime());
}
