import { ProviderError } from '../errors';
import type { NotificationEvent, NotificationRecord, NotificationStatus } from '../notification';
import type { Clock, FinalOutcome, Logger, NotificationStore, Provider } from '../ports';
import { backoffDelayMs, type RetryPolicy } from '../retry-policy';
import type { Channel } from '../schemas/notification-request';

export interface DeliverDeps {
  store: NotificationStore;
  /** Configured providers by channel; a channel without one ends `channel_not_configured`. */
  providers: Partial<Record<Channel, Provider>>;
  clock: Clock;
  logger: Logger;
  retryPolicy: RetryPolicy;
  /** This worker's identity in leases. */
  workerId: string;
  /** A provider call is aborted after this long; the lease outlives it by a margin. */
  sendTimeoutMs: number;
  sweepAfterMs: number;
  random?: () => number;
}

/** What the queue consumer does with the message. */
export type DeliveryOutcome =
  | { kind: 'done'; status: NotificationStatus } // ack: the notification is final
  | { kind: 'retry-later'; delayMs: number } // keep the message, make it visible after the delay
  | { kind: 'missing' }; // ack: nothing to deliver

/** The lease outlives the send timeout by this much (at most), so the outcome write fits in it. */
const MAX_LEASE_MARGIN_MS = 30_000;

/**
 * Delivers one notification at most once per successful claim. Claims it with a conditional
 * write (lease), calls the channel's provider, then records the outcome conditionally on still
 * holding the lease. A crash between the provider's acceptance and that write is the only window
 * in which a later attempt sends it again. Throws only when the store is unreachable; the
 * message is then redelivered by the queue.
 */
export function createDeliverNotification(deps: DeliverDeps) {
  return async function deliverNotification(id: string): Promise<DeliveryOutcome> {
    const now = deps.clock.now();
    const leaseMs = deps.sendTimeoutMs + Math.min(MAX_LEASE_MARGIN_MS, deps.sendTimeoutMs);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claim = await deps.store.claim(id, {
      owner: deps.workerId,
      now: now.toISOString(),
      leaseUntil: leaseUntil.toISOString(),
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
        return send(deps, claim.record);
    }
  };
}

async function send(deps: DeliverDeps, record: NotificationRecord): Promise<DeliveryOutcome> {
  const expiresAt = record.request.expiresAt;
  if (expiresAt !== undefined && Date.parse(expiresAt) <= deps.clock.now().getTime()) {
    return finish(deps, record, {
      status: 'Refused',
      reason: { code: 'expired', message: `Not sent before it expired at ${expiresAt}` },
    });
  }
  const provider = deps.providers[record.channel];
  if (provider === undefined) {
    return finish(deps, record, {
      status: 'Refused',
      reason: {
        code: 'channel_not_configured',
        message: `No provider is configured for ${record.channel}`,
      },
    });
  }
  try {
    const result = await provider.send(
      { notificationId: record.id, request: record.request },
      AbortSignal.timeout(deps.sendTimeoutMs),
    );
    return finish(deps, record, {
      status: 'Delivered',
      provider: provider.name,
      providerMessageId: result.providerMessageId,
    });
  } catch (err) {
    const failure =
      err instanceof ProviderError
        ? err
        : new ProviderError(provider.name, true, 'Provider call failed unexpectedly', {
            cause: err,
          });
    return handleFailure(deps, record, failure);
  }
}

async function handleFailure(
  deps: DeliverDeps,
  record: NotificationRecord,
  failure: ProviderError,
): Promise<DeliveryOutcome> {
  const attempt = record.attempts;
  if (!failure.retryable) {
    return finish(deps, record, {
      status: 'Refused',
      provider: failure.provider,
      reason: { code: failure.reasonCode, message: failure.message },
    });
  }
  if (attempt >= deps.retryPolicy.maxAttempts) {
    return finish(deps, record, {
      status: 'Refused',
      provider: failure.provider,
      reason: {
        code: 'retries_exhausted',
        message: `Gave up after ${attempt} attempts: ${failure.message}`,
      },
    });
  }
  const now = deps.clock.now();
  const delayMs = backoffDelayMs(deps.retryPolicy, attempt, deps.random);
  const nextAttemptAt = new Date(now.getTime() + delayMs).toISOString();
  const event: NotificationEvent = {
    at: now.toISOString(),
    type: 'attempt_failed',
    detail: {
      attempt,
      provider: failure.provider,
      code: failure.reasonCode,
      retryAt: nextAttemptAt,
    },
  };
  if (failure.providerCode !== undefined && event.detail)
    event.detail.providerCode = failure.providerCode;
  const held = await deps.store.scheduleRetry(record.id, {
    owner: deps.workerId,
    now: now.toISOString(),
    nextAttemptAt,
    sweepAt: new Date(now.getTime() + delayMs + deps.sweepAfterMs).toISOString(),
    event,
  });
  deps.logger.warn(
    {
      ...logIds(record),
      provider: failure.provider,
      attempt,
      status: 'Pending',
      reason: failure.reasonCode,
      retryInMs: delayMs,
      leaseLost: !held,
    },
    'delivery attempt failed; will retry',
  );
  return { kind: 'retry-later', delayMs };
}

async function finish(
  deps: DeliverDeps,
  record: NotificationRecord,
  outcome: FinalOutcome,
): Promise<DeliveryOutcome> {
  const at = deps.clock.now().toISOString();
  const event: NotificationEvent =
    outcome.status === 'Delivered'
      ? {
          at,
          type: 'provider_accepted',
          detail: { provider: outcome.provider, providerMessageId: outcome.providerMessageId },
        }
      : { at, type: 'refused', detail: { code: outcome.reason.code } };
  const written = await deps.store.complete(record.id, {
    owner: deps.workerId,
    now: at,
    outcome,
    event,
  });
  const fields = {
    ...logIds(record),
    provider: outcome.provider,
    attempt: record.attempts,
    status: outcome.status,
    reason: outcome.status === 'Refused' ? outcome.reason.code : undefined,
  };
  if (written) deps.logger.info(fields, `notification ${outcome.status.toLowerCase()}`);
  else
    deps.logger.warn(fields, 'lease lost before the outcome was written; another worker owns it');
  return { kind: 'done', status: outcome.status };
}

function logIds(record: NotificationRecord) {
  return { notificationId: record.id, clientId: record.clientId, channel: record.channel };
}

function msUntil(deps: DeliverDeps, iso: string): number {
  return Math.max(1_000, Date.parse(iso) - deps.clock.now().getTime());
}
