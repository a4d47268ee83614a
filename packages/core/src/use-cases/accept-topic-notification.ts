import type { TopicStore } from '../audience/topic-store';
import { AppError } from '../errors';
import { errorSummary } from '../error-summary';
import type { TopicSendStore } from '../fan-out/fan-out-ports';
import { idempotentTopicSendId, newTopicSendId } from '../ids';
import type { Clock, Logger, NotificationQueue } from '../ports';
import { requestHash } from '../request-hash';
import { enqueuePlan, sendAtOf } from '../schedule';
import { assertExpiryWindow } from '../schemas/expiry-window';
import type {
  AcceptTopicInput,
  AcceptTopicNotification,
  AcceptTopicResult,
  TopicSendRecord,
} from '../topic-send';
import { NO_FAN_OUT } from '../topic-send';

export interface AcceptTopicDeps {
  topics: Pick<TopicStore, 'getTopic'>;
  sends: TopicSendStore;
  queue: NotificationQueue;
  clock: Clock;
  logger: Logger;
  sweepAfterMs: number;
}

/**
 * Stores a topic send (the parent notification) and hands its id to the workers, exactly like a
 * direct send: `202` only after the write, the enqueue behind the answer (the sweeper recovers a
 * lost one), `sendAt` through the same schedule. The topic must exist now; the subscribers are
 * read when the fan-out runs (at `sendAt`), page by page. See {@link AcceptTopicNotification}.
 */
export function createAcceptTopicNotification(deps: AcceptTopicDeps): AcceptTopicNotification {
  return async function acceptTopicNotification(
    input: AcceptTopicInput,
  ): Promise<AcceptTopicResult> {
    const hash = requestHash(input.request);
    const replay = await replayOf(deps, input, hash);
    if (replay !== undefined) return answer(replay, true);
    assertExpiryWindow(input.request, deps.clock.now());
    if ((await deps.topics.getTopic(input.clientId, input.topicId)) === undefined) {
      throw new AppError('NOT_FOUND', 'Topic not found');
    }
    for (let tries = 0; tries < 3; tries++) {
      const now = deps.clock.now();
      const keyed = input.idempotencyKey !== undefined;
      const id = keyed
        ? idempotentTopicSendId(input.clientId, input.idempotencyKey ?? '')
        : newTopicSendId();
      const record = newRecord(id, input, hash, now.toISOString());
      const plan = enqueuePlan(record, now, deps.sweepAfterMs);
      const result = await deps.sends.create(record, plan.sweepAt, plan.enqueue === undefined);
      if (result.created) {
        deps.logger.info(
          {
            notificationId: id,
            clientId: input.clientId,
            topicId: input.topicId,
            status: 'Pending',
          },
          'topic send accepted',
        );
        if (plan.enqueue !== undefined) void enqueue(deps, id, plan.enqueue.delaySeconds);
        return answer(record, false);
      }
      if (!keyed) continue;
      const existing = result.existing;
      if (existing?.clientId !== input.clientId || existing.requestHash !== hash) {
        throw new AppError(
          'IDEMPOTENCY_MISMATCH',
          'This Idempotency-Key was already used with a different request body',
        );
      }
      return answer(existing, true);
    }
    throw new AppError('INTERNAL', 'Could not allocate a notification id');
  };
}

/** A keyed retry of a stored topic send is a replay, even once its topic or window is gone. */
async function replayOf(deps: AcceptTopicDeps, input: AcceptTopicInput, hash: string) {
  if (input.idempotencyKey === undefined) return undefined;
  const existing = await deps.sends.get(
    idempotentTopicSendId(input.clientId, input.idempotencyKey),
  );
  if (existing === undefined || existing.clientId !== input.clientId) return undefined;
  if (existing.requestHash !== hash) {
    throw new AppError(
      'IDEMPOTENCY_MISMATCH',
      'This Idempotency-Key was already used with a different request body',
    );
  }
  return existing;
}

function answer(record: TopicSendRecord, replayed: boolean): AcceptTopicResult {
  return {
    notification: {
      id: record.id,
      kind: 'topic',
      topicId: record.topicId,
      status: 'Pending',
      createdAt: record.createdAt,
    },
    replayed,
  };
}

function newRecord(
  id: string,
  input: AcceptTopicInput,
  hash: string,
  now: string,
): TopicSendRecord {
  const record: TopicSendRecord = {
    kind: 'topic',
    id,
    clientId: input.clientId,
    topicId: input.topicId,
    request: input.request,
    requestHash: hash,
    status: 'Pending',
    createdAt: now,
    updatedAt: now,
    events: [{ at: now, type: 'accepted' }],
    fanOut: NO_FAN_OUT,
  };
  const sendAt = sendAtOf(record);
  if (sendAt !== undefined)
    record.events.push({ at: now, type: 'scheduled', detail: { until: sendAt } });
  if (input.idempotencyKey !== undefined) record.idempotencyKey = input.idempotencyKey;
  return record;
}

async function enqueue(deps: AcceptTopicDeps, id: string, delaySeconds: number) {
  try {
    await deps.queue.enqueue([id], delaySeconds > 0 ? { delaySeconds } : undefined);
  } catch (err) {
    deps.logger.warn(
      { notificationId: id, err: errorSummary(err) },
      'enqueue failed; the sweeper will re-enqueue the stored topic send',
    );
  }
}
