import { AppError } from '../errors';
import { errorSummary } from '../error-summary';
import { idempotentNotificationId, newNotificationId } from '../ids';
import type { AcceptedView, AudienceLink, NotificationRecord } from '../notification';
import type { Clock, Logger, NotificationQueue, NotificationStore } from '../ports';
import { requestHash } from '../request-hash';
import { enqueuePlan, sendAtOf } from '../schedule';
import { assertExpiryWindow } from '../schemas/expiry-window';
import type { NotificationRequest } from '../schemas/notification-request';

export interface AcceptDeps {
  store: NotificationStore;
  queue: NotificationQueue;
  clock: Clock;
  logger: Logger;
  /** How long a Pending notification may go unclaimed before the sweeper re-enqueues it. */
  sweepAfterMs: number;
}

export interface AcceptInput {
  clientId: string;
  /** What is stored and sent: for a send naming a recipient, with its resolved address. */
  request: NotificationRequest;
  idempotencyKey?: string;
  /** Set when the client named a recipient: stored on the notification as its `audience`. */
  audience?: AudienceLink;
  /**
   * What the client sent, when it differs from `request` (a send naming a recipient): the
   * idempotency hash is of it, so a retry with the same key and body is a replay even if the
   * recipient's address changed in between. Default: `request`.
   */
  sent?: unknown;
}

export interface AcceptResult {
  notification: AcceptedView;
  /** True when an earlier request with the same key and body already created it. */
  replayed: boolean;
}

/**
 * Stores a validated notification durably, then enqueues its id. Returns as soon as the store
 * write succeeded, without waiting for the enqueue: the notification is already safe, so a queue
 * failure (or a crash before the send) is logged and left to the sweeper, and the caller's answer
 * never waits for a queue round trip. A notification with `sendAt` gets a `scheduled` event and
 * is enqueued hidden until then, or left to the sweeper when that is beyond the queue's delay
 * limit (`enqueuePlan`). Throws `VALIDATION_FAILED` (storing nothing, every problem listed) when
 * `expiresAt` or `sendAt` is not in the future or more than 30 days ahead, or `sendAt` is not
 * before `expiresAt`, `IDEMPOTENCY_MISMATCH` when the key was used for a different body, and
 * `UNAVAILABLE` when the store cannot be reached (nothing was stored, or a retry with the same key
 * is safe).
 */
export function createAcceptNotification(deps: AcceptDeps) {
  return async function acceptNotification(input: AcceptInput): Promise<AcceptResult> {
    const hash = requestHash(input.sent ?? input.request);
    const { record, replayed } =
      (await checkExpiry(deps, input, hash)) ?? (await storeOnce(deps, input, hash));
    if (record.status === 'Pending') {
      const plan = enqueuePlan(record, deps.clock.now(), deps.sweepAfterMs);
      if (plan.enqueue !== undefined) void enqueueOrLeaveToSweeper(deps, record, plan.enqueue);
    }
    return {
      notification: {
        id: record.id,
        status: 'Pending',
        channel: record.channel,
        createdAt: record.createdAt,
      },
      replayed,
    };
  };
}

/**
 * Refuses an `expiresAt` outside its window, unless the request is a keyed retry of a
 * notification already stored (its `expiresAt` may have passed since): that is answered as the
 * replay it is, as any retry with the same key and body is. The store is read only then.
 */
async function checkExpiry(deps: AcceptDeps, input: AcceptInput, hash: string) {
  try {
    assertExpiryWindow(input.request, deps.clock.now());
    return undefined;
  } catch (err) {
    if (input.idempotencyKey === undefined) throw err;
    const existing = await deps.store.get(
      idempotentNotificationId(input.clientId, input.idempotencyKey),
    );
    if (existing?.clientId !== input.clientId || existing.requestHash !== hash) throw err;
    return { record: existing, replayed: true };
  }
}

async function storeOnce(deps: AcceptDeps, input: AcceptInput, hash: string) {
  // Without a key a random id can only collide by astronomical chance; try a fresh one then.
  for (let tries = 0; tries < 3; tries++) {
    const now = deps.clock.now();
    const id =
      input.idempotencyKey === undefined
        ? newNotificationId()
        : idempotentNotificationId(input.clientId, input.idempotencyKey);
    const record = newRecord(id, input, hash, now.toISOString());
    const plan = enqueuePlan(record, now, deps.sweepAfterMs);
    const result = await deps.store.create(record, plan.sweepAt, plan.enqueue === undefined);
    if (result.created) {
      deps.logger.info(
        {
          notificationId: id,
          clientId: input.clientId,
          channel: record.channel,
          status: 'Pending',
        },
        'notification accepted',
      );
      return { record, replayed: false };
    }
    if (input.idempotencyKey === undefined) continue;
    const existing = result.existing;
    if (existing.clientId !== input.clientId || existing.requestHash !== hash) {
      throw new AppError(
        'IDEMPOTENCY_MISMATCH',
        'This Idempotency-Key was already used with a different request body',
      );
    }
    return { record: existing, replayed: true };
  }
  throw new AppError('INTERNAL', 'Could not allocate a notification id');
}

function newRecord(id: string, input: AcceptInput, hash: string, now: string): NotificationRecord {
  const record: NotificationRecord = {
    id,
    clientId: input.clientId,
    channel: input.request.channel,
    request: input.request,
    requestHash: hash,
    status: 'Pending',
    createdAt: now,
    updatedAt: now,
    attempts: 0,
    events: [{ at: now, type: 'accepted' }],
  };
  const sendAt = sendAtOf(record);
  if (sendAt !== undefined)
    record.events.push({ at: now, type: 'scheduled', detail: { until: sendAt } });
  if (input.idempotencyKey !== undefined) record.idempotencyKey = input.idempotencyKey;
  if (input.audience !== undefined) record.audience = input.audience;
  return record;
}

async function enqueueOrLeaveToSweeper(
  deps: AcceptDeps,
  record: NotificationRecord,
  opts: { delaySeconds: number },
) {
  try {
    await deps.queue.enqueue([record.id], opts.delaySeconds > 0 ? opts : undefined);
  } catch (err) {
    deps.logger.warn(
      { notificationId: record.id, clientId: record.clientId, err: errorSummary(err) },
      'enqueue failed; the sweeper will re-enqueue the stored notification',
    );
  }
}
