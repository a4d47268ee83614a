/**
 * How the bench starts a topic send. `POST /v1/topics/:topicId/notifications` is not in the api
 * yet, so the runner runs the api's own accept code on the stack's table and queue: exactly what
 * the route runs after parsing the body (`createAcceptTopicNotification` on the Dynamo topic and
 * topic-send stores and the SQS work queue; see the api's audience wiring). Once the route
 * exists, replace the body of `acceptTopicSend` with that HTTP POST; nothing else changes.
 */
import {
  createDynamoTopicSendStore,
  createDynamoTopicStore,
  createSqsNotificationQueue,
} from '@herald/aws';
import {
  createAcceptTopicNotification,
  silentLogger,
  systemClock,
  type TopicNotificationRequest,
} from '@herald/core';
import type { BenchContext } from '../context';
import { BENCH_SWEEP_AFTER_SECONDS } from '../stack';

/**
 * Accepts a topic send for client `bench`: the parent's id, and when the accept answered (epoch
 * ms; the moment the route would answer `202`).
 */
export async function acceptTopicSend(
  ctx: BenchContext,
  topicId: string,
  request: TopicNotificationRequest,
): Promise<{ id: string; acceptedAt: number }> {
  const { doc, sqs } = ctx.stack.aws;
  const { tableName, audienceTableName, queueUrl } = ctx.stack.resources;
  const queue = createSqsNotificationQueue({ sqs, queueUrl });
  const accept = createAcceptTopicNotification({
    topics: createDynamoTopicStore({ doc, tableName: audienceTableName }),
    sends: createDynamoTopicSendStore({ doc, tableName }),
    queue,
    clock: systemClock,
    logger: silentLogger,
    sweepAfterMs: BENCH_SWEEP_AFTER_SECONDS * 1000,
  });
  const { notification } = await accept({ clientId: 'bench', topicId, request });
  const acceptedAt = Date.now();
  // The accept enqueues behind its answer, as the api does; the bench waits for that send so
  // the clock starts with the parent on its way to the worker, not still in this process.
  await queue.drain();
  return { id: notification.id, acceptedAt };
}
