import type {
  FinalOutcome,
  NotificationEvent,
  NotificationRecord,
  NotificationStatus,
  RefusalReason,
} from './notification';
import type { Lane } from './lane';
import type { RefusalCode } from './refusal-code';
import type { CancelInput, CancelResult, SweepEntry } from './schedule';
import type { NotificationRequest } from './schemas/notification-request';

/** Result of trying to create a notification: the id may already exist (idempotent retry). */
export type CreateResult = { created: true } | { created: false; existing: NotificationRecord };

/** Result of a worker trying to take a notification for sending. */
export type ClaimResult =
  | { kind: 'claimed'; record: NotificationRecord }
  | { kind: 'final'; record: NotificationRecord }
  | { kind: 'leased'; until: string }
  | { kind: 'not-due'; at: string }
  | { kind: 'missing' };

/** The provider accepted it; a delivery receipt will say Delivered or Refused. Stays Pending. */
export interface AwaitingReceipt {
  status: 'Pending';
  provider: string;
  providerMessageId: string;
  /** When to stop waiting and count the provider's acceptance as delivery. */
  until: string;
}

/** What a finished attempt records: a final status, or provider acceptance awaiting a receipt. */
export type AttemptOutcome = FinalOutcome | AwaitingReceipt;

export interface ListQuery {
  status?: NotificationStatus;
  limit: number;
  cursor?: string;
}

export interface ListPage {
  items: NotificationRecord[];
  nextCursor?: string;
}

/**
 * Durable notification state (DynamoDB in every mode). Every write is a single-item conditional
 * write, so state only moves forward and two workers never both own a notification.
 * Infrastructure failures throw AppError `UNAVAILABLE`.
 */
export interface NotificationStore {
  /**
   * Creates the notification. With an idempotency key (a derived id) the create is conditional:
   * it never overwrites and returns the existing record when the id is taken. Without one the id
   * is fresh and random (130 bits), so the store may write it unconditionally and in batches;
   * `scheduled`: no message was sent, it waits for `sweepAt` = `sendAt` (`findScheduled`).
   */
  create(record: NotificationRecord, sweepAt: string, scheduled?: boolean): Promise<CreateResult>;
  get(id: string): Promise<NotificationRecord | undefined>;
  /** A client's own notifications, newest first. A bad cursor throws `VALIDATION_FAILED`. */
  listByClient(clientId: string, query: ListQuery): Promise<ListPage>;
  /**
   * Takes the lease if the notification is Pending, due, and not leased by someone else; counts
   * the attempt and appends `event`. Idempotent for the owner that already holds the lease.
   */
  claim(
    id: string,
    c: { owner: string; now: string; leaseUntil: string; event: NotificationEvent },
  ): Promise<ClaimResult>;
  /**
   * Writes the attempt's outcome if `owner` still holds the lease: a final status, or (for
   * `AwaitingReceipt`) the provider's id with the lease released and no further sends.
   * `false` means the lease was lost.
   */
  complete(
    id: string,
    c: {
      owner: string;
      now: string;
      outcome: AttemptOutcome;
      event: NotificationEvent;
      /** With a final outcome: record in the same write that this status event is owed. */
      owedEventId?: string;
      /** The claimed record's lane: awaiting a receipt keeps it in that lane's sweep. */
      lane?: Lane;
    },
  ): Promise<boolean>;
  /**
   * Applies a delivery receipt: moves a Pending notification whose `providerMessageId` matches to
   * its final status and returns `true`. Forward only: a late, duplicate or out-of-order receipt
   * for a notification that is already final changes nothing. A receipt that beats the worker's
   * write of the provider's message id is parked on the notification (`parkedReceipts`) and
   * applied by the worker right after that write; both cases return `false`.
   */
  recordReceipt(
    id: string,
    r: {
      now: string;
      providerMessageId: string;
      outcome: FinalOutcome;
      event: NotificationEvent;
      /** When the receipt makes it final: record in the same write that this event is owed. */
      owedEventId?: string;
    },
  ): Promise<boolean>;
  /**
   * Releases the lease and sets when the next attempt may start. With `refundAttempt` the attempt
   * is not counted (it only waited for pacing; nothing was sent). `false` if the lease was lost.
   */
  scheduleRetry(
    id: string,
    r: {
      owner: string;
      now: string;
      nextAttemptAt: string;
      sweepAt: string;
      event: NotificationEvent;
      refundAttempt?: boolean;
      /** The claimed record's lane: the retry stays in that lane's sweep. */
      lane?: Lane;
    },
  ): Promise<boolean>;
  /**
   * Pending notifications whose `sweepAt` has passed: their queue message may be lost. Each
   * entry names its lane (absent: transactional); `lane` limits the search to one lane.
   */
  findDueForSweep(now: string, limit: number, lane?: Lane): Promise<SweepEntry[]>;
  /** Notifications created `scheduled`, not swept since, with `sendAt` at or before `until`. */
  findScheduled(until: string, limit: number, lane?: Lane): Promise<SweepEntry[]>;
  /**
   * Pushes `sweepAt` forward (no longer `scheduled`) if the notification is still Pending,
   * keeping it in `lane`'s sweep (the entry's lane; absent: transactional).
   */
  markSwept(id: string, nextSweepAt: string, lane?: Lane): Promise<void>;
  /**
   * Refuses a Pending notification that cannot be processed (a poison message), without reading
   * or parsing the rest of the item, so it works even when the stored item is malformed. Sets
   * the status and `reason`, appends `event`, and ends any lease and sweep, so nothing sends or
   * re-enqueues it again. `'final'` when it was no longer Pending (nothing changed), `'missing'`
   * when there is no such notification. Idempotent.
   */
  refuseUnprocessable(
    id: string,
    r: { now: string; reason: RefusalReason; event: NotificationEvent; owedEventId?: string },
  ): Promise<'refused' | 'final' | 'missing'>;
  /**
   * Refuses `clientId`'s notification if not started (`whyNotCancellable`) in one conditional
   * write, the claim's inverted: of a cancel and a claim racing, exactly one wins.
   */
  cancel(id: string, c: CancelInput): Promise<CancelResult>;
  /**
   * The status alone, read without parsing the rest of the item (so it works for an item that
   * no longer parses); `undefined` when there is no such notification.
   */
  statusOf(id: string): Promise<NotificationStatus | undefined>;
  /**
   * The status-event outbox. A final write given an `owedEventId` records, in the same
   * conditional write, that the event is owed, so a crash before its publish cannot lose it.
   * This lists notifications whose event has been owed since at or before `before` (at most
   * `limit`; read from an index, so it may lag a write by a moment).
   */
  findOwedEvents(before: string, limit: number): Promise<string[]>;
  /**
   * The owed status event of a notification, built from the stored item (`statusEventOf`; an
   * item that no longer parses gives what can be read of it); `undefined` when none is owed.
   */
  owedEvent(id: string): Promise<StatusEvent | undefined>;
  /** Marks the event published, if `eventId` is still the one owed. Idempotent. */
  clearOwedEvent(id: string, eventId: string): Promise<void>;
}

export type { EnqueueOptions, NotificationQueue, QueueMessage, WorkQueue } from './queue-ports';

/** The outbound message a provider sends: the immutable request and its notification id. */
export interface OutboundMessage<R extends NotificationRequest = NotificationRequest> {
  notificationId: string;
  /** The sender; always set by the worker (named Slack webhooks are refused without it). */
  clientId?: string;
  request: R;
  /** Headers the worker computed (a topic email's `List-Unsubscribe`); providers with headers add them. */
  headers?: Readonly<Record<string, string>>;
}

export interface SendResult {
  providerMessageId: string;
  /** The provider will report the outcome later (a delivery receipt); the status stays Pending. */
  awaitingReceipt?: boolean;
}

/**
 * One delivery provider for one channel. `send` throws ProviderError; its `retryable` decides
 * whether the worker tries again. Sending the same notification twice must carry the same
 * provider-level id where the protocol has one (SMTP Message-ID), so duplicates can be spotted.
 */
export interface Provider<R extends NotificationRequest = NotificationRequest> {
  readonly channel: R['channel'];
  readonly name: string;
  /** Whether it can deliver this request's target at all; the router skips it if not. */
  supports?(request: R): boolean;
  send(message: OutboundMessage<R>, signal: AbortSignal): Promise<SendResult>;
}

/**
 * Targets that can never receive again (a web push subscription that is gone, a disabled SNS
 * endpoint), keyed by `targetKeyOf(request)`.
 */
export interface DeadTargetStore {
  isDead(targetKey: string): Promise<boolean>;
  markDead(targetKey: string, r: { reason: RefusalCode; at: string }): Promise<void>;
}

/** A status change, as published to other services (SNS topic `herald-status-events`). */
export interface StatusEvent {
  /**
   * This event's id, the same on every publish of it (`statusEventId`): events are published at
   * least once, so subscribers and callback receivers de-duplicate on it.
   */
  eventId: string;
  /** The notification's id. */
  id: string;
  clientId: string;
  channel: string;
  status: NotificationStatus;
  at: string;
  provider?: string;
  providerMessageId?: string;
  reason?: RefusalReason;
  /** Present when the notification asked to be called back. */
  callbackUrl?: string;
}

/** Publishes status changes. Best effort: a failure is logged, never changes a status. */
export interface StatusEventPublisher {
  publish(event: StatusEvent): Promise<void>;
}

/**
 * Takes a status event whose final write recorded it as owed and publishes it soon, outside the
 * caller's time (see `createStatusRelay`). Never waits and never throws: an event it cannot
 * publish stays owed, for `recover`.
 */
export interface StatusEventRelay {
  relay(event: StatusEvent): void;
}

/** Revoked token ids, kept in the store so every api instance honours them. */
export interface RevocationStore {
  revoke(jti: string, until: string): Promise<void>;
  /** Every jti revoked and not yet past its `until`. */
  listRevoked(now: string): Promise<string[]>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A pino-compatible subset, so core never depends on a logging library. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
