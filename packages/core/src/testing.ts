/**
 * Hand-written fakes of the core ports, for unit tests of use cases and adapters' callers.
 * They follow the same rules the DynamoDB and SQS adapters do (conditional writes, leases).
 */
import type { ClientLimitOverrides, ClientSettings, ClientSettingsReader } from './client-settings';
import { AppError } from './errors';
import { newNotificationId } from './ids';
import type { NotificationRecord } from './notification';
import type {
  Clock,
  DeadTargetStore,
  StatusEvent,
  StatusEventPublisher,
  StatusEventRelay,
  EnqueueOptions,
  NotificationQueue,
  NotificationStore,
  OutboundMessage,
  Provider,
  SendResult,
} from './ports';
import { silentLogger } from './ports';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import type { NotificationRequest } from './schemas/notification-request';
import type { DeliverDeps } from './use-cases/deliver-notification';

export { InMemoryNotificationStore } from './testing-notification-store';
export { InMemoryPreferenceStore } from './testing-preference-store';
export { InMemoryRecipientStore } from './testing-recipient-store';
export { InMemorySendTimeAudience } from './testing-send-time-audience';
export { InMemoryTopicStore } from './testing-topic-store';
export { InMemorySuppressionList } from './testing-suppression';
export { InMemoryRecipientCaps } from './testing-recipient-caps';

export class FixedClock implements Clock {
  constructor(private current: Date = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class InMemoryDeadTargets implements DeadTargetStore {
  readonly dead = new Map<string, string>();
  isDead(key: string): Promise<boolean> {
    return Promise.resolve(this.dead.has(key));
  }
  markDead(key: string, r: { reason: string }): Promise<void> {
    this.dead.set(key, r.reason);
    return Promise.resolve();
  }
}

/**
 * Records every event published (or relayed: it doubles as a relay that publishes at once);
 * `behaviour` decides each publish's result, e.g. a promise that never settles for a hung SNS.
 */
export class RecordingStatusPublisher implements StatusEventPublisher, StatusEventRelay {
  readonly events: StatusEvent[] = [];
  behaviour: (event: StatusEvent) => Promise<void> = () => Promise.resolve();
  publish(event: StatusEvent): Promise<void> {
    this.events.push(event);
    return this.behaviour(event);
  }
  relay(event: StatusEvent): void {
    this.events.push(event);
  }
}

export class InMemoryQueue implements NotificationQueue {
  readonly sent: string[] = [];
  /** The delay of each id's last enqueue, in seconds (0 when none was given). */
  readonly delays = new Map<string, number>();
  /** The ids enqueued on the bulk lane (also in `sent`). */
  readonly bulk: string[] = [];
  failing = false;
  enqueue(ids: readonly string[], opts?: EnqueueOptions): Promise<void> {
    if (this.failing) return Promise.reject(new AppError('UNAVAILABLE', 'queue down'));
    this.sent.push(...ids);
    if (opts?.lane === 'bulk') this.bulk.push(...ids);
    for (const id of ids) this.delays.set(id, opts?.delaySeconds ?? 0);
    return Promise.resolve();
  }
}

/** Records every message; `behaviour` decides each call's result. */
export class RecordingProvider<
  R extends NotificationRequest = NotificationRequest,
> implements Provider<R> {
  readonly sent: OutboundMessage<R>[] = [];
  behaviour: (m: OutboundMessage<R>) => Promise<SendResult> = (m) =>
    Promise.resolve({ providerMessageId: `msg-${m.notificationId}` });

  constructor(
    readonly channel: R['channel'],
    readonly name = 'recording',
  ) {}

  send(message: OutboundMessage<R>): Promise<SendResult> {
    this.sent.push(message);
    return this.behaviour(message);
  }
}

export function anEmailRequest(
  overrides: Partial<Extract<NotificationRequest, { channel: 'email' }>> = {},
) {
  return {
    channel: 'email' as const,
    to: 'ada@example.com',
    subject: 'Your receipt',
    text: 'Thanks for your order.',
    ...overrides,
  };
}

export function anSmsRequest(
  overrides: Partial<Extract<NotificationRequest, { channel: 'sms' }>> = {},
) {
  return {
    channel: 'sms' as const,
    to: '+447400123456',
    body: 'Your code is 123456',
    ...overrides,
  };
}

/**
 * A freshly accepted email notification: Pending, no attempts, one `accepted` event. `overrides`
 * win; `createdAt` also dates `updatedAt` and the event.
 */
export function aPendingRecord(overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  const createdAt = overrides.createdAt ?? '2026-01-01T00:00:00.000Z';
  return {
    id: newNotificationId(),
    clientId: 'client-a',
    channel: 'email',
    request: anEmailRequest(),
    requestHash: 'hash',
    status: 'Pending',
    createdAt,
    updatedAt: createdAt,
    attempts: 0,
    events: [{ at: createdAt, type: 'accepted' }],
    ...overrides,
  };
}

/** Client settings held in memory; `set` merges into a client's settings and bumps its version. */
export class InMemoryClientSettings implements ClientSettingsReader {
  readonly settings = new Map<string, ClientSettings>();
  get(clientId: string): Promise<ClientSettings | undefined> {
    return Promise.resolve(this.settings.get(clientId));
  }
  set(
    clientId: string,
    change: { allowedSlackWebhooks?: readonly string[]; limits?: ClientLimitOverrides },
  ): ClientSettings {
    const current = this.settings.get(clientId);
    const next: ClientSettings = {
      clientId,
      allowedSlackWebhooks: change.allowedSlackWebhooks ?? current?.allowedSlackWebhooks ?? [],
      limits: { ...current?.limits, ...change.limits },
      version: (current?.version ?? 0) + 1,
      updatedAt: new Date().toISOString(),
    };
    this.settings.set(clientId, next);
    return next;
  }
}

/**
 * Deps for `createDeliverNotification` with the values the delivery tests share: worker `w1`, the
 * default retry policy, a 10 s send timeout, a 60 s sweep delay, a 24 h receipt wait, a 2 s
 * pacing wait and a silent logger. `overrides` win (pacer, breakers, events, … are off unless given).
 */
export function aDeliverDeps(
  store: NotificationStore,
  clock: Clock,
  providers: DeliverDeps['providers'],
  overrides: Partial<DeliverDeps> = {},
): DeliverDeps {
  return {
    store,
    providers,
    clock,
    logger: silentLogger,
    retryPolicy: DEFAULT_RETRY_POLICY,
    workerId: 'w1',
    sendTimeoutMs: 10_000,
    sweepAfterMs: 60_000,
    receiptTimeoutMs: 86_400_000,
    maxPacingWaitMs: 2_000,
    ...overrides,
  };
}
