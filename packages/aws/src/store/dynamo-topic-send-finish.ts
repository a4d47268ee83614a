import type { TopicSendStore } from '@herald/core';
import { conditionalUpdate } from './store-context';
import type { StoreContext } from './store-context';
import { owedEventShard } from './table-schema';

type FinishInput = Parameters<TopicSendStore['finish']>[1];

/**
 * The final write of a topic send, by the worker holding its lease: the status, the children's
 * counts (final from now on, so reads need not count them again), the event, and the owed status
 * event in the outbox shard, exactly like a notification's final write.
 */
export async function finishTopicSend(
  ctx: StoreContext,
  id: string,
  f: FinishInput,
  shard: string,
): Promise<boolean> {
  const written = await conditionalUpdate(ctx, id, {
    ConditionExpression: '#status = :pending AND #leaseOwner = :owner',
    UpdateExpression:
      'SET #status = :status, #updatedAt = :now, #finalCounts = :counts,' +
      ' #events = list_append(#events, :event), #owedEventId = :owed, #sweepShard = :owedShard,' +
      ` #sweepAt = :now${f.reason ? ', #reason = :reason' : ''}` +
      ' REMOVE #leaseOwner, #leaseUntil, #nextAttemptAt',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#leaseOwner': 'leaseOwner',
      '#leaseUntil': 'leaseUntil',
      '#nextAttemptAt': 'nextAttemptAt',
      '#updatedAt': 'updatedAt',
      '#finalCounts': 'finalCounts',
      '#events': 'events',
      '#owedEventId': 'owedEventId',
      '#sweepShard': 'sweepShard',
      '#sweepAt': 'sweepAt',
      ...(f.reason ? { '#reason': 'reason' } : {}),
    },
    ExpressionAttributeValues: {
      ':pending': 'Pending',
      ':owner': f.owner,
      ':status': f.status,
      ':now': f.now,
      ':counts': f.counts,
      ':event': [f.event],
      ':owed': f.owedEventId,
      ':owedShard': owedEventShard(shard),
      ...(f.reason ? { ':reason': { code: f.reason.code, message: f.reason.message } } : {}),
    },
  });
  return written !== undefined;
}
