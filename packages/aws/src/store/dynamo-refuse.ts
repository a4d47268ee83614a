import type { NotificationStatus, NotificationStore } from '@herald/core';
import { conditionalUpdate, readItem } from './store-context';
import type { StoreContext } from './store-context';
import { IN_PROGRESS_ATTRIBUTES, owedEventShard } from './table-schema';

type RefuseInput = Parameters<NotificationStore['refuseUnprocessable']>[1];

/**
 * Refuses a Pending notification the worker cannot process, with one conditional UpdateItem
 * that never reads the item first: a malformed item (the usual poison) is refused all the same.
 * With `r.owedEventId` the same write records the refusal's status event as owed (the outbox,
 * in the item's bySweep shard `shard`). `'final'` or `'missing'` when the condition fails; other
 * failures throw (toStoreError).
 */
export async function refuseUnprocessable(
  ctx: StoreContext,
  id: string,
  r: RefuseInput,
  shard: string,
): Promise<'refused' | 'final' | 'missing'> {
  const refusal = refusalUpdate(r, shard);
  const written = await conditionalUpdate(ctx, id, {
    // Only a Pending notification moves, so a final status never changes.
    ConditionExpression: '#status = :pending',
    ...refusal,
    ExpressionAttributeValues: { ...refusal.ExpressionAttributeValues, ':pending': 'Pending' },
  });
  if (written !== undefined) return 'refused';
  return (await readStatus(ctx, id)) === undefined ? 'missing' : 'final';
}

/** What ends a notification `Refused`: its reason, time, event and (optionally) owed event id. */
export interface RefusalWrite {
  reason: { code: string; message: string };
  now: string;
  event: unknown;
  owedEventId?: string;
}

/**
 * The update that ends a notification `Refused` (refuseUnprocessable, cancel): status, reason
 * and event set; the lease and the sweep attributes removed, so no worker claims it and the
 * sweeper never re-enqueues it — unless the refusal's status event is owed, then the sweep keys
 * move to the outbox shard of `shard` instead. `if_not_exists` keeps the write valid when the
 * malformed part of an item is its event list. The caller adds its condition (`:pending` etc.).
 */
export function refusalUpdate(r: RefusalWrite, shard: string) {
  const owes = r.owedEventId !== undefined;
  const cleared = IN_PROGRESS_ATTRIBUTES.filter(
    (a) => !owes || (a !== 'sweepShard' && a !== 'sweepAt'),
  );
  return {
    UpdateExpression:
      'SET #status = :refused, #reason = :reason, #updatedAt = :now,' +
      ' #events = list_append(if_not_exists(#events, :empty), :event)' +
      (owes ? ', #owedEventId = :owedEventId, #sweepShard = :owedShard, #sweepAt = :now' : '') +
      ` REMOVE ${cleared.map((a) => `#${a}`).join(', ')}`,
    ExpressionAttributeNames: {
      '#status': 'status',
      '#reason': 'reason',
      '#updatedAt': 'updatedAt',
      '#events': 'events',
      ...Object.fromEntries(IN_PROGRESS_ATTRIBUTES.map((a) => [`#${a}`, a])),
      ...(owes ? { '#owedEventId': 'owedEventId' } : {}),
    },
    ExpressionAttributeValues: {
      ':refused': 'Refused',
      ':reason': { code: r.reason.code, message: r.reason.message },
      ':now': r.now,
      ':empty': [],
      ':event': [r.event],
      ...(owes ? { ':owedEventId': r.owedEventId, ':owedShard': owedEventShard(shard) } : {}),
    } as Record<string, unknown>,
  };
}

/** The `status` attribute alone (strongly consistent); the rest of the item is not parsed. */
export async function readStatus(
  ctx: StoreContext,
  id: string,
): Promise<NotificationStatus | undefined> {
  const item = await readItem(ctx, id, ['status']);
  if (item === undefined) return undefined;
  const status: unknown = item.status;
  // An item without a readable status is not one we can refuse: treat it as not Pending.
  return status === 'Pending' || status === 'Delivered' ? status : 'Refused';
}
