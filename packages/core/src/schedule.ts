import type { Lane } from './lane';
import type { NotificationEvent, NotificationRecord, RefusalReason } from './notification';

/**
 * A scheduled notification's `sendAt` in UTC ISO form (`toISOString`), so it compares as a
 * string with the clock's `now` and the store's other timestamps; `undefined` when the request
 * has none. The request keeps the client's own form (any offset).
 */
export function sendAtOf(record: { request: { sendAt?: string | undefined } }): string | undefined {
  const sendAt = record.request.sendAt;
  return sendAt === undefined ? undefined : new Date(Date.parse(sendAt)).toISOString();
}

/**
 * The cancellation rule shared by every store: a notification can be cancelled while it is
 * Pending, no lease is in force (`until` after `now`, whoever holds it) and no provider has
 * accepted it yet (a receipt is awaited). This is the claim's lease condition inverted, so a
 * cancel and a claim at the same moment cannot both succeed. `undefined` means cancellable.
 */
export function whyNotCancellable(
  record: NotificationRecord,
  now: string,
): 'final' | 'started' | undefined {
  if (record.status !== 'Pending') return 'final';
  if (record.lease !== undefined && record.lease.until > now) return 'started';
  if (record.awaitingReceiptUntil !== undefined) return 'started';
  return undefined;
}

/**
 * Result of a client cancelling a notification: `cancelled` (now `Refused` `cancelled`), `final`
 * (already Delivered or Refused), `started` (a worker holds it or a provider already accepted it),
 * or `missing` (no such notification, or another client's).
 */
export type CancelResult =
  | { kind: 'cancelled'; record: NotificationRecord }
  | { kind: 'final'; record: NotificationRecord }
  | { kind: 'started'; record: NotificationRecord }
  | { kind: 'missing' };

/** A bySweep entry: a Pending notification and when the sweeper is due to look at it. */
export interface SweepEntry {
  id: string;
  sweepAt: string;
  /** The queue it goes back to; absent means `transactional`. */
  lane?: Lane;
}

/** What `NotificationStore.cancel` writes: the client asking, and the refusal it records. */
export interface CancelInput {
  clientId: string;
  now: string;
  reason: RefusalReason;
  event: NotificationEvent;
  /** Records in the same write that this status event is owed (the outbox). */
  owedEventId?: string;
}

/** SQS's longest DelaySeconds: a message cannot be hidden longer than this when sent. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * How a new notification reaches the queue. Unscheduled: enqueue now; the sweeper looks again
 * `sweepAfterMs` later in case the enqueue was lost. Scheduled within the queue's delay limit:
 * enqueue now, hidden until `sendAt` (rounded up, so it never arrives early), and the sweeper
 * looks again `sweepAfterMs` after `sendAt`. Scheduled further ahead: no message now; `sweepAt` =
 * `sendAt`, stored as `scheduled`, so the sweeper's look-ahead (`findScheduled`) enqueues it
 * shortly before it is due.
 */
export function enqueuePlan(
  record: { request: { sendAt?: string | undefined } },
  now: Date,
  sweepAfterMs: number,
): { sweepAt: string; enqueue: { delaySeconds: number } | undefined } {
  const sendAt = sendAtOf(record);
  const dueMs = sendAt === undefined ? now.getTime() : Math.max(now.getTime(), Date.parse(sendAt));
  const delaySeconds = Math.ceil((dueMs - now.getTime()) / 1000);
  if (delaySeconds > MAX_QUEUE_DELAY_SECONDS && sendAt !== undefined) {
    return { sweepAt: sendAt, enqueue: undefined };
  }
  return { sweepAt: new Date(dueMs + sweepAfterMs).toISOString(), enqueue: { delaySeconds } };
}
