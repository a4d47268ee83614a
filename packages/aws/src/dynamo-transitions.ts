import type { NotificationStore } from '@herald/core';
import { conditionalUpdate } from './store-context';
import type { StoreContext } from './store-context';

type CompleteInput = Parameters<NotificationStore['complete']>[1];
type RetryInput = Parameters<NotificationStore['scheduleRetry']>[1];

const OWNED_PENDING = '#status = :pending AND #leaseOwner = :owner';

/**
 * Writes the final status if `c.owner` still holds the lease; ends the lease and leaves the
 * sweep index. `false` when the lease was lost or the notification is already final.
 */
export async function completeNotification(
  ctx: StoreContext,
  id: string,
  c: CompleteInput,
): Promise<boolean> {
  const { outcome } = c;
  const names: Record<string, string> = {
    '#status': 'status',
    '#leaseOwner': 'leaseOwner',
    '#updatedAt': 'updatedAt',
    '#events': 'events',
  };
  const values: Record<string, unknown> = {
    ':pending': 'Pending',
    ':owner': c.owner,
    ':status': outcome.status,
    ':now': c.now,
    ':event': [c.event],
  };
  const sets = ['#status = :status', '#updatedAt = :now', '#events = list_append(#events, :event)'];
  const setField = (field: string, value: unknown) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  };
  if (outcome.provider !== undefined) setField('provider', outcome.provider);
  if (outcome.status === 'Delivered') setField('providerMessageId', outcome.providerMessageId);
  else setField('reason', { code: outcome.reason.code, message: outcome.reason.message });
  const removed = ['leaseUntil', 'sweepShard', 'sweepAt', 'nextAttemptAt'];
  for (const field of removed) names[`#${field}`] = field;
  const written = await conditionalUpdate(ctx, id, {
    // Only the lease holder may finish it, and only once: a final status never changes again.
    ConditionExpression: OWNED_PENDING,
    UpdateExpression: `SET ${sets.join(', ')} REMOVE #leaseOwner, ${removed.map((f) => `#${f}`).join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
  return written !== undefined;
}

/**
 * Releases the lease and sets when the next attempt may start and when the sweeper should look
 * again. `false` when the lease was lost or the notification is already final.
 */
export async function scheduleRetry(
  ctx: StoreContext,
  id: string,
  r: RetryInput,
  shard: string,
): Promise<boolean> {
  const written = await conditionalUpdate(ctx, id, {
    ConditionExpression: OWNED_PENDING,
    UpdateExpression:
      'SET #nextAttemptAt = :next, #sweepShard = :shard, #sweepAt = :sweepAt, #updatedAt = :now,' +
      ' #events = list_append(#events, :event) REMOVE #leaseOwner, #leaseUntil',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#leaseOwner': 'leaseOwner',
      '#leaseUntil': 'leaseUntil',
      '#nextAttemptAt': 'nextAttemptAt',
      '#sweepShard': 'sweepShard',
      '#sweepAt': 'sweepAt',
      '#updatedAt': 'updatedAt',
      '#events': 'events',
    },
    ExpressionAttributeValues: {
      ':pending': 'Pending',
      ':owner': r.owner,
      ':next': r.nextAttemptAt,
      ':shard': shard,
      ':sweepAt': r.sweepAt,
      ':now': r.now,
      ':event': [r.event],
    },
  });
  return written !== undefined;
}
