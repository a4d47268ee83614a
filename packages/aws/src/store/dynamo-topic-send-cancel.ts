import type { TopicSendCancel, TopicSendStore } from '@herald/core';
import { refusalUpdate } from './dynamo-refuse';
import { readTopicSend } from './dynamo-topic-sends';
import { fromTopicSendItem } from './topic-send-item';
import { conditionalUpdate } from './store-context';
import type { StoreContext } from './store-context';

type CancelInput = Parameters<TopicSendStore['cancel']>[1];

/**
 * Cancels a client's topic send. Before its fan-out started (no page recorded, no lease in
 * force: the claim's condition inverted, as for a notification) the parent itself ends
 * `Refused` `cancelled` in one conditional write. After, `cancelledAt` is set: the next page's
 * record fails on it, so no further page is created, and the caller cancels the children that
 * have not started. Another client's topic send is `missing`.
 */
export async function cancelTopicSend(
  ctx: StoreContext,
  id: string,
  c: CancelInput,
  shard: string,
): Promise<TopicSendCancel> {
  const refusal = refusalUpdate(c, shard);
  const unstarted = await conditionalUpdate(ctx, id, {
    ...refusal,
    ConditionExpression:
      '#kind = :topic AND #status = :pending AND #clientId = :client AND #foPages = :zero' +
      ' AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)',
    ExpressionAttributeNames: {
      ...refusal.ExpressionAttributeNames,
      '#kind': 'kind',
      '#clientId': 'clientId',
      '#foPages': 'foPages',
    },
    ExpressionAttributeValues: {
      ...refusal.ExpressionAttributeValues,
      ':topic': 'topic',
      ':pending': 'Pending',
      ':client': c.clientId,
      ':zero': 0,
    },
    ReturnValues: 'ALL_NEW',
  });
  if (unstarted !== undefined) return { kind: 'cancelled', record: fromTopicSendItem(unstarted) };
  const marked = await conditionalUpdate(ctx, id, {
    ConditionExpression:
      '#kind = :topic AND #status = :pending AND #clientId = :client AND attribute_not_exists(#cancelledAt)',
    UpdateExpression: 'SET #cancelledAt = :now',
    ExpressionAttributeNames: {
      '#kind': 'kind',
      '#status': 'status',
      '#clientId': 'clientId',
      '#cancelledAt': 'cancelledAt',
    },
    ExpressionAttributeValues: {
      ':topic': 'topic',
      ':pending': 'Pending',
      ':client': c.clientId,
      ':now': c.now,
    },
    ReturnValues: 'ALL_NEW',
  });
  if (marked !== undefined) return { kind: 'stopping', record: fromTopicSendItem(marked) };
  const current = await readTopicSend(ctx, id);
  if (current?.clientId !== c.clientId) return { kind: 'missing' };
  if (current.status !== 'Pending') return { kind: 'final', record: current };
  return { kind: 'stopping', record: current };
}
