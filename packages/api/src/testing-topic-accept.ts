/** Test support: an `AcceptTopicNotification` fake for the topic send route suites. */
import {
  AppError,
  type AcceptTopicInput,
  type AcceptTopicNotification,
  type AcceptTopicResult,
  type TopicStore,
} from '@herald/core';

/**
 * The accept use case's contract, in memory, recording every call in `calls`: `NOT_FOUND` for a
 * topic the caller does not have (read from `topics`), a replay or `IDEMPOTENCY_MISMATCH` per
 * client, topic and key, else a new Pending parent. What the suites using it prove is the routes,
 * not the accept use case.
 */
export function recordingAccept(
  topics: TopicStore,
  calls: AcceptTopicInput[],
): AcceptTopicNotification {
  const byKey = new Map<string, { request: string; result: AcceptTopicResult }>();
  let n = 0;
  return async (input) => {
    calls.push(input);
    if (!(await topics.getTopic(input.clientId, input.topicId))) {
      throw new AppError('NOT_FOUND', 'Topic not found');
    }
    const scope = `${input.clientId}\u0000${input.topicId}\u0000${input.idempotencyKey ?? ''}`;
    const request = JSON.stringify(input.request);
    const earlier = input.idempotencyKey === undefined ? undefined : byKey.get(scope);
    if (earlier !== undefined) {
      if (earlier.request !== request) {
        throw new AppError('IDEMPOTENCY_MISMATCH', 'Idempotency-Key was used for another body');
      }
      return { ...earlier.result, replayed: true };
    }
    n += 1;
    const result: AcceptTopicResult = {
      notification: {
        id: `ntf_${String(n).padStart(26, '0')}`,
        kind: 'topic',
        topicId: input.topicId,
        status: 'Pending',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      replayed: false,
    };
    if (input.idempotencyKey !== undefined) byKey.set(scope, { request, result });
    return result;
  };
}
