/**
 * How the bench starts a topic send: `POST /v1/topics/:topicId/notifications` on the stack's api,
 * as a client does; the clock starts at its `202`.
 */
import type { TopicNotificationRequest } from '@herald/core';
import type { BenchContext } from '../context';

/** Sends to the topic as client `bench`: the parent's id, and when the api answered (epoch ms). */
export async function acceptTopicSend(
  ctx: BenchContext,
  topicId: string,
  request: TopicNotificationRequest,
): Promise<{ id: string; acceptedAt: number }> {
  const res = await fetch(`${ctx.stack.apiUrl}/v1/topics/${topicId}/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const acceptedAt = Date.now();
  if (res.status !== 202) {
    throw new Error(`topic send answered ${res.status}: ${await res.text()}`);
  }
  const { id } = (await res.json()) as { id: string };
  return { id, acceptedAt };
}
